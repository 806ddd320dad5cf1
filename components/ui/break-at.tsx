// Long identifiers (emails, dotted action names) wrap only where a reader expects: after "@" and before ".", never in
// the middle of a word as `overflow-wrap: anywhere` does ("admin@demo.loca|l").
import { Fragment } from "react";

/**
 * The text in pieces, with a line-break opportunity (<wbr>) after each "@" and "/" and before each "." past the
 * first character: where an email, a dotted name or a path may wrap.
 */
export function breakPoints(text: string): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const [i, ch] of [...text].entries()) {
    if (ch === "." && i > 0 && current) {
      pieces.push(current);
      current = "";
    }
    current += ch;
    if (ch === "@" || ch === "/") {
      pieces.push(current);
      current = "";
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

export function BreakAt({ text }: { text: string }) {
  const pieces = breakPoints(text);
  return (
    <>
      {pieces.map((piece, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {piece}
        </Fragment>
      ))}
    </>
  );
}
