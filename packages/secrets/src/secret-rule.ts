/** One detection rule, in the manner of gitleaks: a regex, a cheap keyword prefilter and an entropy floor. */
export interface SecretRule {
  /** Kebab-case id, shown in `[REDACTED:<id>]` and in recorded findings. */
  readonly id: string;
  readonly description: string;
  /**
   * Global regex with indices (flags `g` and `d`). The named group `secret`, when present, is the part
   * redacted and checked; otherwise the whole match is. When the empty named group `unterminated` takes
   * part in a match, the block it opens has no end marker and the redaction runs on to the end of the text.
   */
  readonly regex: RegExp;
  /** Lower-case strings of which one must occur (case-insensitively) in the text before the regex runs. */
  readonly keywords?: readonly string[];
  /** Minimum Shannon entropy, in bits per character, of the secret for a match to count. */
  readonly entropy?: number;
  /** A secret any of these (non-global) regexes matches is a name, template or mask, not a secret. */
  readonly allow?: readonly RegExp[];
  /** A secret containing one of these lower-case words, case-insensitively, says what it is rather than being it. */
  readonly stopwords?: readonly string[];
}
