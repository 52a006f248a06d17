import type { IncomingHttpHeaders } from 'node:http';

/** How handles and rich text are rendered in an answer (query parameter or header). */
export interface OutputOptions {
  handleFormat: 'ids' | 'names' | 'objects';
  textFormat: string | undefined;
}

export const DEFAULT_OUTPUT: OutputOptions = { handleFormat: 'ids', textFormat: undefined };

export function outputOptions(query: URLSearchParams, headers: IncomingHttpHeaders): OutputOptions {
  // SimpleClient sends handle_format as a header on PATCH; apps put it in the query string.
  const header = headers['handle_format'];
  const raw = query.get('handle_format') ?? (Array.isArray(header) ? header[0] : header);
  const handleFormat = raw === 'names' || raw === 'objects' ? raw : 'ids';
  const textHeader = headers['text_content_output_format'];
  const textFormat = query.get('text_content_output_format') ?? (Array.isArray(textHeader) ? textHeader[0] : textHeader);
  return { handleFormat, textFormat };
}
