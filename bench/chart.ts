// The scaling chart, hand-written SVG: backup time (log scale) and peak RSS versus the
// number of secrets, the plugin against the baseline script.

export interface Series {
  label: string
  color: string
  dashed: boolean
  points: Array<{ x: number; y: number }>
}

interface Panel {
  title: string
  yLabel: string
  logY: boolean
  series: Series[]
  /** A horizontal reference line, e.g. a target. */
  reference?: { y: number; label: string }
}

const W = 440
const H = 320
const M = { left: 60, right: 20, top: 40, bottom: 50 }
const PLOT_W = W - M.left - M.right
const PLOT_H = H - M.top - M.bottom

const fmt = (n: number) =>
  n === 0 || n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2)
const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;')

function decades(min: number, max: number): number[] {
  const out: number[] = []
  for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) out.push(10 ** p)
  return out
}

/** Round steps for a linear axis from 0: 1, 2 or 5 times a power of ten. */
function linearTicks(max: number): number[] {
  const raw = max / 5
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let v = 0; v <= max + step / 2; v += step) out.push(v)
  return out
}

type Scale = (v: number) => number

function scales(panel: Panel, xs: number[], ys: number[]) {
  const xTicks = decades(Math.min(...xs), Math.max(...xs))
  const x0 = Math.log10(xTicks[0] ?? 1)
  const x1 = Math.log10(xTicks.at(-1) ?? 10)
  const x: Scale = (v) => M.left + ((Math.log10(v) - x0) / Math.max(1e-9, x1 - x0)) * PLOT_W
  const yTicks = panel.logY
    ? decades(Math.max(1e-3, Math.min(...ys)), Math.max(...ys))
    : linearTicks(Math.max(...ys) * 1.1)
  const lo = yTicks[0] ?? 0
  const hi = yTicks.at(-1) ?? 1
  const y: Scale = panel.logY
    ? (v) =>
        M.top +
        PLOT_H -
        ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PLOT_H
    : (v) => M.top + PLOT_H - ((v - lo) / (hi - lo)) * PLOT_H
  return { x, y, xTicks, yTicks }
}

function axes(panel: Panel, s: ReturnType<typeof scales>): string[] {
  const out = [
    `<text x="${M.left}" y="22" font-size="14" font-weight="bold">${esc(panel.title)}</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#999"/>`,
  ]
  for (const t of s.xTicks) {
    const x = s.x(t).toFixed(1)
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${M.top + PLOT_H}" stroke="#eee"/>`)
    out.push(`<text x="${x}" y="${M.top + PLOT_H + 16}" text-anchor="middle">${t}</text>`)
  }
  for (const t of s.yTicks) {
    const y = s.y(t).toFixed(1)
    out.push(`<line x1="${M.left}" y1="${y}" x2="${M.left + PLOT_W}" y2="${y}" stroke="#eee"/>`)
    out.push(`<text x="${M.left - 6}" y="${y}" text-anchor="end" dy="4">${fmt(t)}</text>`)
  }
  out.push(
    `<text x="${M.left + PLOT_W / 2}" y="${H - 12}" text-anchor="middle">secrets (log scale)</text>`,
    `<text transform="translate(16 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`,
  )
  return out
}

function line(series: Series, s: ReturnType<typeof scales>): string[] {
  const pts = series.points.map((p) => `${s.x(p.x).toFixed(1)},${s.y(p.y).toFixed(1)}`)
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : ''
  const out = [
    `<polyline points="${pts.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`,
  ]
  for (const p of series.points) {
    const cx = s.x(p.x).toFixed(1)
    const cy = s.y(p.y).toFixed(1)
    out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${series.color}"/>`)
    out.push(`<text x="${cx}" y="${cy}" dx="6" dy="-6" fill="${series.color}">${fmt(p.y)}</text>`)
  }
  return out
}

function legend(series: Series[]): string[] {
  return series.flatMap((item, i) => {
    const y = M.top + 14 + i * 16
    const dash = item.dashed ? ' stroke-dasharray="6 4"' : ''
    return [
      `<line x1="${M.left + 10}" y1="${y}" x2="${M.left + 34}" y2="${y}" stroke="${item.color}" stroke-width="2"${dash}/>`,
      `<text x="${M.left + 40}" y="${y + 4}">${esc(item.label)}</text>`,
    ]
  })
}

function panelSvg(panel: Panel, offsetX: number): string {
  const points = panel.series.flatMap((s) => s.points)
  if (points.length === 0) return ''
  const ys = points.map((p) => p.y).concat(panel.reference ? [panel.reference.y] : [])
  const s = scales(
    panel,
    points.map((p) => p.x),
    ys,
  )
  const parts = [...axes(panel, s)]
  if (panel.reference) {
    const y = s.y(panel.reference.y).toFixed(1)
    parts.push(
      `<line x1="${M.left}" y1="${y}" x2="${M.left + PLOT_W}" y2="${y}" stroke="#c00" stroke-dasharray="2 3"/>`,
      `<text x="${M.left + PLOT_W - 4}" y="${y}" dy="-4" text-anchor="end" fill="#c00">${esc(panel.reference.label)}</text>`,
    )
  }
  for (const series of panel.series) parts.push(...line(series, s))
  parts.push(...legend(panel.series))
  return `<g transform="translate(${offsetX} 0)">${parts.join('\n')}</g>`
}

export function scalingSvg(time: Series[], rss: Series[], caption: string): string {
  const panels = [
    panelSvg(
      { title: 'Backup wall time', yLabel: 'seconds (log scale)', logY: true, series: time },
      0,
    ),
    panelSvg(
      {
        title: 'Peak RSS of the backing-up process',
        yLabel: 'MB',
        logY: false,
        series: rss,
        reference: { y: 150, label: 'target 150 MB' },
      },
      W,
    ),
  ]
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 24}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels,
    `<text x="${M.left}" y="${H + 14}" fill="#555">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n')
}
