import * as vscode from 'vscode';
import { authHeaders, gatewayUrl, type GatewaySettings } from './gateway-api';
import { createIndexStatusItem } from './index-status-item';
import { runSearchCommand } from './search-command';

/** Reads the gateway settings each time, so changes apply without a reload. */
function settings(): GatewaySettings {
  const config = vscode.workspace.getConfiguration('conexus');
  return { url: config.get<string>('serverUrl') || 'http://127.0.0.1:7420', token: config.get<string>('token') || '' };
}

/** Registers the search command, the status bar item and the MCP server for agent mode. */
export function activate(context: vscode.ExtensionContext): void {
  const status = createIndexStatusItem(settings);
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    vscode.commands.registerCommand('conexus.searchCode', () => runSearchCommand(settings)),
    status,
    changed,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('conexus')) return;
      changed.fire();
      void status.refresh();
    }),
    vscode.lm.registerMcpServerDefinitionProvider('conexus', {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        const current = settings();
        return [
          new vscode.McpHttpServerDefinition(
            'Conexus',
            vscode.Uri.parse(gatewayUrl(current, 'mcp')),
            authHeaders(current),
          ),
        ];
      },
    }),
  );
  void status.refresh();
}

/** Nothing to release beyond the subscriptions. */
export function deactivate(): void {}
