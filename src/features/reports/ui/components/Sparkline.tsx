import type { Scale } from './figures.js';

const W = 132;
const H = 40;
const PAD = 5;

/**
 * The % favourable of one scale over its administrations, oldest first, this one last and larger.
 * Withheld administrations leave a gap in the line. Its accessible name lists every value.
 */
export function Sparkline({ trend, label }: { trend: Scale['trend']; label: string }) {
  const values = trend.map((p) => (p.figure.withheld ? null : p.figure.favourable.value));
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  // A band around the values (at least 20 points wide) so that a change of a few points shows.
  const mid = (Math.min(...known) + Math.max(...known)) / 2;
  const half = Math.max(10, (Math.max(...known) - Math.min(...known)) / 2 + 4);
  const lo = Math.max(0, Math.min(mid - half, 100 - 2 * half));
  const hi = Math.min(100, lo + 2 * half);
  const x = (i: number) => (values.length === 1 ? W / 2 : PAD + (i * (W - 2 * PAD)) / (values.length - 1));
  const y = (v: number) => H - PAD - ((v - lo) / (hi - lo || 1)) * (H - 2 * PAD);
  const segments: string[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const prev = values[i - 1];
    segments.push(`${i > 0 && prev !== null && prev !== undefined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="report-sparkline">
      <line x1={PAD} x2={W - PAD} y1={H - 1} y2={H - 1} stroke="#adb5bd" strokeWidth={1} />
      <path d={segments.join(' ')} fill="none" stroke="#1c3f7a" strokeWidth={2} />
      {values.map((v, i) =>
        v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={i === values.length - 1 ? 4.5 : 3} fill={i === values.length - 1 ? '#1c3f7a' : '#ffffff'} stroke="#1c3f7a" strokeWidth={2} />,
      )}
    </svg>
  );
}
