import type { Config } from './config';
import type { ChatReply, ChatRequest, NotificationTypes } from './protocol';

/**
 * What every engine operation receives. The CLI and the server build one of these and call the same
 * operations (the registry in operations.ts), so every front end shares one code path.
 */
export interface EngineContext {
  /** absolute path of the workspace root (the registry lives in <workspace>/.driftcatcher) */
  workspace: string;
  config: Config;
  /** aborting stops the operation promptly and leaves no partial files */
  signal?: AbortSignal;
  /** progress for long operations: percentage 0..100 (or undefined when unknown) and a short message */
  progress?: (percentage: number | undefined, message: string) => void;
  /** push a notification to clients (server) or ignore (CLI) */
  notify?: <M extends keyof NotificationTypes>(method: M, params: NotificationTypes[M]) => void;
  /** informational messages for the user (CLI prints them on stderr, server logs them) */
  log?: (message: string) => void;
  /** the editor's chat model (VS Code's vscode.lm), asked through the client; only inside an editor that offers one */
  chat?: (request: ChatRequest, signal?: AbortSignal) => Promise<ChatReply>;
}
