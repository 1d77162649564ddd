import { describe, expect, it } from '@jest/globals';
import { embeddingText } from './embedding-text.js';

const longBody = (lines: number, last: string): string =>
  [...Array.from({ length: lines }, (_, i) => `\tstep${i % 3}(ctx, request)`), last].join('\n');

describe('embeddingText', () => {
  it.each([
    {
      case: 'a chunk without a symbol: path, then the text',
      chunk: { path: 'README.md', symbol: null, kind: 'text', signature: null, text: '# Caddy\nA web server.' },
      expected: 'README.md\n# Caddy\nA web server.',
    },
    {
      case: 'a symbol whose text holds its signature: path, kind and qualified name, then the text',
      chunk: {
        path: 'modules/caddyhttp/server.go',
        symbol: 'Server.ServeHTTP',
        kind: 'method',
        signature: 'func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {',
        text: '// ServeHTTP serves a request.\nfunc (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n}',
      },
      expected:
        'modules/caddyhttp/server.go method Server.ServeHTTP\n// ServeHTTP serves a request.\n' +
        'func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n}',
    },
    {
      case: 'a continuation chunk: the signature it lacks comes before its text',
      chunk: {
        path: 'server.go',
        symbol: 'Server',
        kind: 'struct',
        signature: 'type Server struct {',
        text: '\tReadTimeout time.Duration\n}',
      },
      expected: 'server.go struct Server\ntype Server struct {\n\tReadTimeout time.Duration\n}',
    },
  ] as const)('$case', ({ chunk, expected }) => {
    expect(embeddingText(chunk)).toBe(expected);
  });

  it('keeps the head of a long body and names what its tail uses, before the body', () => {
    const text = longBody(60, '\treturn closeIdleConnections(listener, step1)');
    const embedded = embeddingText({ path: 'a.go', symbol: 'run', kind: 'function', signature: null, text });
    const [header, names, ...body] = embedded.split('\n');
    expect(header).toBe('a.go function run');
    // why: step0..2, ctx and request are in the head already; only the tail's new names are listed.
    expect(names).toBe('return closeIdleConnections listener');
    expect(body.join('\n')).toBe(text.slice(0, body.join('\n').length));
    expect(body.join('\n').length).toBeLessThanOrEqual(720);
    expect(embedded).not.toContain('step1)');
  });

  it('lists at most 24 names', () => {
    const tail = Array.from({ length: 40 }, (_, i) => `name${i}`).join(' ');
    const text = `${'head line\n'.repeat(80)}${tail}`;
    const names = embeddingText({ path: 'b.py', symbol: null, kind: 'text', signature: null, text }).split('\n')[1]!;
    expect(names.split(' ')).toHaveLength(24);
    expect(names.startsWith('name0 name1 ')).toBe(true);
  });
});
