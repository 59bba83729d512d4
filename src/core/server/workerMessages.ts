import { z } from 'zod';

/**
 * What crosses the thread boundary between the server's main thread and a job worker. Both sides validate
 * what they receive: the worker gets its job as workerData, and then only `cancel` messages.
 */
export const JobRequestSchema = z.object({
  method: z.string(),
  params: z.unknown(),
  workspace: z.string(),
  config: z.unknown(),
});
export type JobRequest = z.infer<typeof JobRequestSchema>;

const ChatMessageSchema = z.object({ role: z.enum(['system', 'user']), content: z.string() });
const ChatRequestSchema = z.object({ messages: z.array(ChatMessageSchema), selector: z.string(), timeoutMs: z.number(), justification: z.string() });

/** `cancel` aborts the job; `chatReply` answers the worker's `chat` (the editor's chat model, asked on the main thread) */
export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('chatReply'), id: z.number(), text: z.string().optional(), model: z.string().optional(), error: z.string().optional() }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), percentage: z.number().optional(), message: z.string() }),
  z.object({ type: z.literal('notify'), method: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('log'), message: z.string() }),
  z.object({ type: z.literal('chat'), id: z.number(), request: ChatRequestSchema }),
  z.object({ type: z.literal('result'), result: z.unknown() }),
  z.object({ type: z.literal('error'), message: z.string(), code: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
