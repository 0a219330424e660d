import { basename } from 'node:path';

import { DataError, type Dataset } from '../dataset.js';
import { ClassMap, parseNumber, readBytes } from './common.js';

/** Where an unquoted field ends. */
const SEPARATORS = new Set([',', '\n', '\r']);

/** One CSV record and the editor line it starts on (the header is line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

export interface CsvOptions {
  /** The column holding the labels. */
  readonly label: string;
  /** `classification` (the default: label texts are classes) or `regression` (numeric targets). */
  readonly task?: string;
}

/** A CSV dataset; `classNames[k]` is the label text that became class k. */
export type CsvDataset = Dataset & { readonly classNames: string[] };

/**
 * Reads a CSV file with a header row: every column but `label` is a numeric feature
 * (sample shape `[features]`). For classification the label texts become classes 0..K-1
 * in order of first appearance; for regression the label column holds numeric targets.
 * Throws a DataError naming the file, row and column of the first problem.
 */
export function loadCsv(path: string, options: CsvOptions): CsvDataset {
  const task = options.task ?? 'classification';
  if (task !== 'classification' && task !== 'regression')
    throw new DataError(`${path}: unknown task \`${task}\`; use "classification" or "regression"`);
  const regression = task === 'regression';
  const records = parseCsv(readBytes(path).toString('utf8'), path);
  const header = records[0];
  if (!header) throw new DataError(`${path} is empty`);
  const columns = header.fields.map((f) => f.trim());
  const labelAt = labelColumn(path, columns, options.label);
  const rows = records.slice(1);
  if (rows.length === 0) throw new DataError(`${path}: no data rows after the header`);

  const features = columns.length - 1;
  const x = new Float32Array(rows.length * features);
  const y = regression ? new Float32Array(rows.length) : new Int32Array(rows.length);
  const classes = new ClassMap();
  rows.forEach(({ line, fields }, r) => {
    if (fields.length !== columns.length)
      throw new DataError(
        `${path}, row ${line}: expected ${columns.length} fields, found ${fields.length}`,
      );
    let f = r * features;
    // Built only on failure: a message per cell would dominate the load time.
    const where = (c: number) => `${path}, row ${line}, column \`${columns[c]}\``;
    fields.forEach((text, c) => {
      if (c === labelAt && !regression) {
        const name = text.trim();
        if (name === '') throw new DataError(`${where(c)}: expected a label, found an empty cell`);
        y[r] = classes.of(name);
        return;
      }
      const v = parseNumber(text);
      if (v === undefined)
        throw new DataError(
          `${where(c)}: expected a number, found ${text.trim() === '' ? 'an empty cell' : `\`${text}\``}`,
        );
      if (c === labelAt) y[r] = v;
      else x[f++] = v;
    });
  });
  return {
    name: basename(path),
    layout: 'Vec',
    shape: [features],
    classes: classes.names.length,
    x,
    y,
    size: rows.length,
    classNames: classes.names,
    // The file's numbers as they are: a served model takes rows of the feature columns.
    preprocessing: {
      input: { kind: 'table', columns: columns.filter((_, c) => c !== labelAt) },
      steps: [],
    },
    ...(regression ? { task: 'regression' as const } : {}),
  };
}

/** The label's column index; the header must name it once and have features besides. */
function labelColumn(path: string, columns: readonly string[], label: string): number {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new DataError(`${path}: column \`${c}\` appears twice in the header`);
    seen.add(c);
  }
  const at = columns.indexOf(label);
  if (at < 0)
    throw new DataError(
      `${path}: no label column \`${label}\`; the columns are ${columns.map((c) => `\`${c}\``).join(', ')}`,
    );
  if (columns.length < 2)
    throw new DataError(`${path}: no feature columns besides the label \`${label}\``);
  return at;
}

/**
 * RFC 4180 records: comma-separated fields, double-quoted fields may hold commas, line
 * breaks and `""` for a quote; LF or CRLF line ends; a leading BOM (spreadsheet exports)
 * is ignored. Blank lines are skipped, as spreadsheet tools and pandas do.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let start = { line: 1, at: i };
  const endRecord = (end: number) => {
    fields.push(field);
    const raw = text.slice(start.at, end);
    if (raw !== '' && raw !== '\r') records.push({ line: start.line, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const q = quoted(text, i, file, line);
      field = q.value;
      line += q.lines;
      i = q.end;
      const next = text[i];
      const lineEnd = next === '\n' || (next === '\r' && text[i + 1] === '\n');
      if (next !== undefined && next !== ',' && !lineEnd)
        throw new DataError(
          `${file}, row ${line}: expected a comma or a line end after a closing quote, found \`${next}\``,
        );
    } else if (c === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      endRecord(i);
      i += c === '\r' ? 2 : 1;
      line++;
      start = { line, at: i };
    } else {
      // An unquoted run: take it whole up to the next separator (much faster than by char).
      let end = i + 1;
      while (end < text.length && !SEPARATORS.has(text[end]!)) end++;
      field += text.slice(i, end);
      i = end;
    }
  }
  if (i > start.at) endRecord(i);
  return records;
}

/** The quoted field opening at `open`: its text, the line breaks inside, the index after it. */
function quoted(
  text: string,
  open: number,
  file: string,
  line: number,
): { value: string; lines: number; end: number } {
  let value = '';
  let lines = 0;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      if (text[i + 1] !== '"') return { value, lines, end: i + 1 };
      i++;
    } else if (c === '\n') lines++;
    value += c;
  }
  throw new DataError(`${file}, row ${line}: a quoted field is not closed`);
}
