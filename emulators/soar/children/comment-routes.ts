import { badRequest, notFound } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { idParam, ok, route } from '../http/types.js';
import { incidentOr404 } from '../incidents/incident-lookup.js';
import type { CommentRecord, IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import type { OutputOptions } from '../values/output-options.js';
import { parseRichText, renderRichText, type RichText } from '../values/rich-text.js';
import { authorOf } from './principal-names.js';

/** Notes: `text` is an HTML string by default, `{format, content}` with text_content_output_format. */
export function commentRoutes(state: SoarState): RouteDef[] {
  return [
    route('POST', '/incidents/{id}/comments', (req) => {
      const incident = incidentOr404(state, req);
      const body = isRecord(req.body) ? req.body : {};
      const parentId = typeof body.parent_id === 'number' ? body.parent_id : null;
      if (parentId !== null && !state.comments.get(incident.id, parentId)) throw notFound(parentId);
      const comment = state.comments.add(incident.id, readText(body.text), parentId, req.principal, state.now());
      return ok(renderComment(state, incident, comment, req.out));
    }),
    route('GET', '/incidents/{id}/comments', (req) => {
      const incident = incidentOr404(state, req);
      // Replies appear under their parent's `children`, not at the top level.
      const top = state.comments.list(incident.id).filter((c) => c.parentId === null);
      return ok(top.map((c) => renderComment(state, incident, c, req.out)));
    }),
    route('GET', '/incidents/{id}/comments/{cid}', (req) => {
      const incident = incidentOr404(state, req);
      return ok(renderComment(state, incident, commentOr404(state, incident, req), req.out));
    }),
    route('PUT', '/incidents/{id}/comments/{cid}', (req) => {
      const incident = incidentOr404(state, req);
      const comment = commentOr404(state, incident, req);
      comment.text = readText(isRecord(req.body) ? req.body.text : undefined);
      comment.modifyDate = state.now();
      return ok(renderComment(state, incident, comment, req.out));
    }),
  ];
}

function readText(raw: unknown): RichText {
  const text = parseRichText(raw, 'text');
  if (!text) throw badRequest("Bad Request: a note needs 'text'.");
  return text;
}

function commentOr404(state: SoarState, incident: IncidentRecord, req: RestRequest): CommentRecord {
  const comment = state.comments.get(incident.id, idParam(req, 'cid'));
  if (!comment) throw notFound(req.params.cid ?? '');
  return comment;
}

export function renderComment(state: SoarState, incident: IncidentRecord, c: CommentRecord, out: OutputOptions): Record<string, unknown> {
  const author = authorOf(state, c.creator);
  const children = state.comments.list(incident.id).filter((child) => child.parentId === c.id);
  return {
    id: c.id,
    parent_id: c.parentId,
    type: 'incident',
    user_id: author.id,
    user_fname: author.fname,
    user_lname: author.lname,
    text: renderRichText(c.text, out.textFormat),
    create_date: c.createDate,
    modify_date: c.modifyDate,
    children: children.map((child) => renderComment(state, incident, child, out)),
    mentioned_users: [],
    is_deleted: false,
    comment_perms: { update: true, delete: true },
    modify_user: { id: author.id, first_name: author.fname, last_name: author.lname },
    actions: [],
    inc_id: incident.id,
    inc_name: incident.values.name ?? null,
    inc_owner: incident.values.owner_id ?? null,
    task_id: null,
    task_name: null,
  };
}
