import type { AwsServiceError } from './service-error.js';

/**
 * The EC2 and STS query protocols: a form-encoded `POST /` whose `Action` and `Version` pick the
 * operation, answered in XML. EC2 lists are flattened `Name.N`; STS lists use `Name.member.N`.
 */

export const EC2_VERSION = '2016-11-15';
export const STS_VERSION = '2011-06-15';
export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function parseForm(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

/** `RegionName.1`, `RegionName.2`, … in index order (gaps end the list, as AWS reads it). */
export function indexedList(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const value = params.get(`${prefix}.${i}`);
    if (value === null) return out;
    out.push(value);
  }
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An element with escaped text content. */
export function text(tag: string, value: string | number | boolean): string {
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** An element whose children are already XML. */
export function el(tag: string, ...children: string[]): string {
  return `<${tag}>${children.join('')}</${tag}>`;
}

export function xmlDocument(root: string, xmlns: string, ...children: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${children.join('')}</${root}>`;
}

/** EC2's error envelope; note `RequestID` with a capital D. [I] for the envelope, [R] for where the SDK reads the code. */
export function ec2ErrorXml(error: AwsServiceError, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${el('Errors', el('Error', text('Code', error.code), text('Message', error.message)))}${text('RequestID', requestId)}</Response>`;
}

export function stsErrorXml(error: AwsServiceError, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return xmlDocument('ErrorResponse', STS_XMLNS, el('Error', text('Type', type), text('Code', error.code), text('Message', error.message)), text('RequestId', requestId));
}
