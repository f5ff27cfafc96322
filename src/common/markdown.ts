/** Text from the server as plain text in markdown: no link, emphasis or HTML of its own. */
export const escapeMarkdown = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');

/** An identifier as inline code. */
export const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;
