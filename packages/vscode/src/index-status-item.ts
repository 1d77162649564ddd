import * as vscode from 'vscode';
import { listRepos, type GatewaySettings } from './gateway-api';

const REFRESH_MS = 30_000;

/** A status bar item that shows how many repositories the gateway has indexed, or that it is unreachable. */
export function createIndexStatusItem(
  settings: () => GatewaySettings,
): vscode.Disposable & { refresh(): Promise<void> } {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  item.command = 'conexus.searchCode';
  const refresh = async (): Promise<void> => {
    try {
      const repos = await listRepos(settings());
      item.text = `$(search) Conexus: ${repos.length} ${repos.length === 1 ? 'repo' : 'repos'}`;
      item.tooltip =
        repos.map((repo) => `${repo.name}${repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : ''}`).join('\n') ||
        'Nothing indexed yet';
    } catch {
      item.text = '$(warning) Conexus: offline';
      item.tooltip = `No Conexus gateway at ${settings().url} (run \`conexus serve\` or set conexus.serverUrl)`;
    }
    item.show();
  };
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  return {
    refresh,
    dispose() {
      clearInterval(timer);
      item.dispose();
    },
  };
}
