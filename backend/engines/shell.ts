// Quoting for the command.sh files the runs write: bash reads them, and a person runs them by hand.

/** A word bash reads back as this exact text: left bare when it is plainly safe, else single-quoted. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
