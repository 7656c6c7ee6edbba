/**
 * The report as a list of blocks, written once and rendered twice (Markdown
 * and HTML), so the two files can never say different things. Text is plain:
 * each renderer escapes it for its own format.
 */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Right-align these columns (numbers). */
  readonly numeric?: readonly boolean[];
}

export interface FigureBlock {
  readonly kind: 'figure';
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  /** Paths relative to the report folder. */
  readonly svgPath: string;
  readonly pngPath: string;
  /** The SVG text, for the HTML page to embed inline. */
  readonly svg: string;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly table: TextTable }
  | FigureBlock;

export interface ReportDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
}
