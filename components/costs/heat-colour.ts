// The heat map's cell colours: the background for a utilization, and the text colour that reads on it. The text
// colour is chosen by computed contrast (WCAG 2.x relative luminance), not by a fixed threshold, so every cell of
// the scale reaches the 4.5:1 of normal text.
export type Rgb = readonly [number, number, number];

const scaleColour: Rgb = [51, 70, 211];
const panel: Rgb = [255, 255, 255]; // the card the table sits on
// Black rather than the page's --text (#14161a): between the light and dark ends of the scale there are backgrounds
// on which neither #14161a nor white reaches 4.5:1, while black or white always reaches at least 4.58:1.
export const darkText: Rgb = [0, 0, 0];
export const lightText: Rgb = [255, 255, 255];

/** The cell background for a utilization in percent: the scale colour, stronger as utilization rises, on the panel. */
export function heatBackground(utilization: number): Rgb {
  const t = Math.max(0, Math.min(1, utilization / 100));
  const alpha = 0.08 + t * 0.85;
  // Composited over the panel, so the contrast below is computed on the colour people see.
  const over = (c: number, p: number) => Math.round(c * alpha + p * (1 - alpha));
  return [over(scaleColour[0], panel[0]), over(scaleColour[1], panel[1]), over(scaleColour[2], panel[2])];
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an sRGB colour. */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio (1 to 21) between two colours. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Dark or white text, whichever contrasts more with the background. */
export function readableTextOn(background: Rgb): Rgb {
  return contrastRatio(darkText, background) >= contrastRatio(lightText, background) ? darkText : lightText;
}

export const cssRgb = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

/** Background and text colour of a heat-map cell; a cell without data is left blank. */
export function heatCellColours(utilization: number | null): { background: string; color: string } {
  if (utilization === null) return { background: "transparent", color: cssRgb(darkText) };
  const background = heatBackground(utilization);
  return { background: cssRgb(background), color: cssRgb(readableTextOn(background)) };
}
