import { z } from 'zod';
import { describeIssue } from '../params';

/**
 * The params shape of every standard LSP message the server handles, checked before vscode-languageserver sees
 * them: its handlers read `params.capabilities`, `params.textDocument.uri`… without looking, so a client that
 * leaves them out would get `-32603 Cannot read properties of undefined` (or a notification would throw). The
 * driftcatcher/* methods validate their own params (params.ts).
 */
const uri = z.string();
const position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const range = z.object({ start: position, end: position });
const textDocument = z.object({ uri });

const SCHEMAS: Record<string, z.ZodType> = {
  initialize: z.object({
    processId: z.number().int().nullable().optional(),
    rootUri: z.string().nullable().optional(),
    rootPath: z.string().nullable().optional(),
    workspaceFolders: z.array(z.object({ uri, name: z.string() })).nullable().optional(),
    capabilities: z.object({}).loose(),
  }),
  'textDocument/didOpen': z.object({ textDocument: z.object({ uri, languageId: z.string(), version: z.number(), text: z.string() }) }),
  'textDocument/didChange': z.object({
    textDocument: z.object({ uri, version: z.number() }),
    contentChanges: z.array(z.union([z.object({ range, text: z.string() }).loose(), z.object({ text: z.string() })])),
  }),
  'textDocument/didSave': z.object({ textDocument }),
  'textDocument/didClose': z.object({ textDocument }),
  'textDocument/hover': z.object({ textDocument, position }),
  'textDocument/codeAction': z.object({ textDocument, range, context: z.object({ diagnostics: z.array(z.object({}).loose()) }).loose() }),
  'workspace/didChangeConfiguration': z.object({ settings: z.unknown() }),
  '$/cancelRequest': z.object({ id: z.union([z.number(), z.string()]) }),
};

/** What is wrong with a standard LSP message's params, or undefined when they are usable (or not ours to check). */
export function checkLspParams(method: string, params: unknown): string | undefined {
  const schema = SCHEMAS[method];
  if (!schema) return undefined;
  const r = schema.safeParse(params);
  return r.success ? undefined : describeIssue(r.error);
}
