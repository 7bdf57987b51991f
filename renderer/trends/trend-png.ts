/**
 * PNG export of the trend as shown: a title (what and when), the plot's canvas as drawn, and
 * the legend (pen number, colour, tag, description, unit) drawn in below, so the picture
 * explains itself when pasted into a shift report. Downloaded by this browser.
 */
import { readPlotColours } from './trend-colours.js';
import { downloadBlob } from '../app/download.js';

export interface PngLegendLine {
  readonly number: string;
  readonly colour: string;
  readonly dashed: boolean;
  readonly text: string;
}

export interface PngPicture {
  readonly title: string;
  readonly subtitle: string;
  readonly legend: readonly PngLegendLine[];
}

const FONT_FAMILY = 'system-ui, "DejaVu Sans", "Noto Sans CJK SC", sans-serif';

/** Draws the picture: title, plot, legend. `plot` is uPlot's canvas (device pixels). */
export function composeTrendPicture(plot: HTMLCanvasElement, picture: PngPicture, ratio: number): HTMLCanvasElement {
  const colours = readPlotColours();
  const pad = Math.round(12 * ratio);
  const line = Math.round(18 * ratio);
  const titleHeight = pad + line * 2;
  const columns = plot.width > 1200 * ratio ? 2 : 1;
  const legendHeight = pad + Math.ceil(picture.legend.length / columns) * line + pad;
  const canvas = document.createElement('canvas');
  canvas.width = plot.width + pad * 2;
  canvas.height = titleHeight + plot.height + legendHeight;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('PNG export: this browser gives no 2D canvas');
  ctx.fillStyle = colours.markBackground;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = colours.text;
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${Math.round(15 * ratio)}px ${FONT_FAMILY}`;
  ctx.fillText(picture.title, pad, pad + line / 2);
  ctx.font = `${Math.round(12 * ratio)}px ${FONT_FAMILY}`;
  ctx.fillText(picture.subtitle, pad, pad + line * 1.5);
  ctx.drawImage(plot, pad, titleHeight);
  const top = titleHeight + plot.height + pad;
  const columnWidth = (canvas.width - pad * 2) / columns;
  picture.legend.forEach((entry, i) => {
    const x = pad + (i % columns) * columnWidth;
    const y = top + Math.floor(i / columns) * line + line / 2;
    ctx.strokeStyle = entry.colour;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash(entry.dashed ? [4 * ratio, 4 * ratio] : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 26 * ratio, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = entry.colour;
    ctx.font = `600 ${Math.round(12 * ratio)}px ${FONT_FAMILY}`;
    ctx.fillText(entry.number, x + 32 * ratio, y);
    ctx.fillStyle = colours.text;
    ctx.font = `${Math.round(12 * ratio)}px ${FONT_FAMILY}`;
    ctx.fillText(entry.text, x + 32 * ratio + ctx.measureText(entry.number).width + 8 * ratio, y);
  });
  return canvas;
}

/** Encodes and downloads the picture; resolves with the PNG's size in bytes. */
export function downloadPng(canvas: HTMLCanvasElement, fileName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error('PNG export: the browser could not encode the picture'));
        return;
      }
      downloadBlob(blob, fileName);
      resolve(blob.size);
    }, 'image/png');
  });
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `trend-20250110-1405.png` (local time, 24-hour). */
export function pngFileName(ms: number): string {
  const d = new Date(ms);
  return `trend-${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}-${pad2(d.getHours())}${pad2(d.getMinutes())}.png`;
}
