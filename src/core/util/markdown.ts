/**
 * Text from data (column names, category values, file paths) or from an LLM, made literal inside Markdown: every
 * ASCII punctuation character is backslash-escaped (CommonMark renders an escaped character as itself), so no
 * image, link, `command:` link, autolink, raw HTML, emphasis or table cell can come out of it; line breaks become
 * spaces so one value stays on its table row or line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}
