// Bundled separately (dist/languageClient.js) and loaded only when the server starts: vscode-languageclient is
// ~800 KB of JavaScript, and parsing it inside activate() would cost the extension host tens of milliseconds.
export * from 'vscode-languageclient/node';
