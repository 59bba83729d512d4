/**
 * Text from data (column names, category values, file paths) or from an LLM, made literal inside Markdown: every
 * character that can start markup is backslash-escaped (CommonMark renders an escaped punctuation character as
 * itself) — brackets, parentheses and `!` (links, images, `command:` links), `<` `>` `&` (HTML, entities), `:` `.`
 * `@` (autolinks: `http:`, `www.`, e-mail), `*` `_` `~` `` ` `` (emphasis, code), `|` (table cells), `#` `+` `-`
 * `{` `}` and `\` itself — so no image, link, autolink, raw HTML or table cell can come out of it. Line breaks
 * become spaces so a value stays on its row. Commas, slashes and quotes need no escape and keep names readable.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|~<>&:@]/g, (c) => `\\${c}`);
}
