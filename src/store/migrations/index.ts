import * as m001 from './001-initial.js';
import * as m002 from './002-invocations.js';
import * as m003 from './003-link-closed-at.js';
import * as m004 from './004-incident-verification.js';
import * as m005 from './005-respond.js';
import * as m006 from './006-sequence-members.js';

/** Numbered migrations, applied in order at start; a migration never changes once released. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [{ version: 1, ...m001 }, { version: 2, ...m002 }, { version: 3, ...m003 }, { version: 4, ...m004 }, { version: 5, ...m005 }, { version: 6, ...m006 }];
