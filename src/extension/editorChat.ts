import * as vscode from 'vscode';
import type { ChatReply, ChatRequest } from '../core/protocol';

/**
 * Answers the engine's `driftcatcher/chat` request with a chat model VS Code offers (vscode.lm), when the user chose
 * llm.provider "editor". The engine keeps its own timeout, schema check and fallback; this only relays one prompt
 * and the model's text. The system prompt goes first as a user message (the chat API has no system role).
 */
export async function answerChat(req: ChatRequest, token: vscode.CancellationToken): Promise<ChatReply> {
  if (typeof vscode.lm?.selectChatModels !== 'function') throw new Error('this VS Code has no language-model API');
  const [vendor, family] = req.selector.split('/', 2);
  const models = await vscode.lm.selectChatModels(vendor ? { vendor, ...(family ? { family } : {}) } : undefined);
  const model = models[0];
  if (!model) {
    throw new Error(req.selector ? `no chat model matches "${req.selector}" in this VS Code` : 'no chat model is available in this VS Code (is GitHub Copilot or another model provider installed and signed in?)');
  }
  const messages = req.messages.map((m) => vscode.LanguageModelChatMessage.User(m.content));
  const response = await model.sendRequest(messages, { justification: req.justification }, token);
  let text = '';
  for await (const part of response.text) text += part;
  return { text, model: `${model.vendor}/${model.family}` };
}
