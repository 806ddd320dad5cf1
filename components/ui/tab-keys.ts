// Which tab a key moves to in a horizontal WAI-ARIA tab list (automatic activation): the arrows step and wrap
// around, Home and End jump to the ends. Up and Down stay with the page, which scrolls with them.

/** The index `key` moves to from `index` in a list of `count` tabs, or null when the key is not a tab key. */
export function tabIndexAfterKey(key: string, index: number, count: number): number | null {
  if (count < 1) return null;
  switch (key) {
    case "ArrowRight":
      return (index + 1) % count;
    case "ArrowLeft":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
