import * as vscode from 'vscode';
import { readFile, searchCode, type CodeHit, type GatewaySettings } from './gateway-api';

/** "Conexus: Search code": ask, pick a result, open it at its lines. */
export async function runSearchCommand(settings: () => GatewaySettings): Promise<void> {
  const query = await vscode.window.showInputBox({
    prompt: 'What code are you looking for?',
    placeHolder: 'e.g. where are index jobs retried',
  });
  if (!query) return;
  let hits: CodeHit[];
  try {
    hits = await searchCode(settings(), query);
  } catch (error) {
    void vscode.window.showErrorMessage(`Conexus: ${(error as Error).message}`);
    return;
  }
  if (hits.length === 0) {
    void vscode.window.showInformationMessage('Conexus: no matching code.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    hits.map((hit) => ({
      label: `${hit.path}:${hit.startLine}-${hit.endLine}`,
      description: hit.symbol ?? '',
      detail: `${hit.repo}${hit.commit ? ` @ ${hit.commit.slice(0, 12)}` : ''}`,
      hit,
    })),
    { matchOnDescription: true, matchOnDetail: true, placeHolder: `${hits.length} results for "${query}"` },
  );
  if (picked) await openHit(picked.hit, settings());
}

/** Opens a result: the workspace file when a folder holds the repository, else the indexed text. */
async function openHit(hit: CodeHit, settings: GatewaySettings): Promise<void> {
  const folder =
    vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === hit.repo) ??
    (vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : undefined);
  const document = folder
    ? await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, hit.path))
    : await vscode.workspace.openTextDocument({ content: await readFile(settings, hit.repo, hit.path) });
  const range = new vscode.Range(hit.startLine - 1, 0, hit.endLine - 1, 0);
  await vscode.window.showTextDocument(document, { selection: range, preview: true });
}
