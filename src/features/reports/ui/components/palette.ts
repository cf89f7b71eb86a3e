/**
 * Colours of the charts. Answers run from an orange end to a purple end through grey (ColorBrewer
 * PuOr, readable with the common colour-vision deficiencies); the heat map is one blue from light
 * to dark, so order never depends on telling hues apart. Text on any colour is black or white,
 * whichever contrasts more (at least 4.5:1 for every colour).
 */
const DIVERGING: Record<number, string[]> = {
  2: ['#e66101', '#5e3c99'],
  3: ['#e66101', '#bababa', '#5e3c99'],
  4: ['#e66101', '#fdb863', '#b2abd2', '#5e3c99'],
  5: ['#e66101', '#fdb863', '#bababa', '#b2abd2', '#5e3c99'],
  6: ['#b35806', '#f1a340', '#fee0b6', '#d8daeb', '#998ec3', '#542788'],
  7: ['#b35806', '#f1a340', '#fee0b6', '#bababa', '#d8daeb', '#998ec3', '#542788'],
};

type Rgb = [number, number, number];
const hex = (c: string): Rgb => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as Rgb;
const toHex = (c: Rgb) => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;
const mix = (a: string, b: string, t: number) => toHex(hex(a).map((x, i) => x + (hex(b)[i] - x) * t) as Rgb);

/** Colours for `n` answer points in order; longer scales (0–10 ratings) blend along the seven. */
export function answerColours(n: number): string[] {
  if (DIVERGING[n]) return DIVERGING[n];
  if (n <= 1) return ['#5e3c99'];
  const seven = DIVERGING[7];
  return Array.from({ length: n }, (_, i) => {
    const at = (i / (n - 1)) * 6;
    const lo = Math.floor(at);
    return lo >= 6 ? seven[6] : mix(seven[lo], seven[lo + 1], at - lo);
  });
}

const luminance = (c: string) => {
  const [r, g, b] = hex(c).map((x) => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** Black or white text, whichever reads better on the colour. */
export function textOn(background: string): string {
  const l = luminance(background);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** Heat map shade for a share from 0 to 100: ColorBrewer Blues, light for low, dark for high. */
export function heatColour(percent: number): string {
  const stops = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];
  const at = (Math.max(0, Math.min(100, percent)) / 100) * (stops.length - 1);
  const lo = Math.floor(at);
  return lo >= stops.length - 1 ? stops[stops.length - 1] : mix(stops[lo], stops[lo + 1], at - lo);
}

/** The look of a withheld cell or bar: grey hatching, never a colour of the scale. */
export const HATCH = 'repeating-linear-gradient(135deg, #e9ecef 0 6px, #ced4da 6px 8px)';
