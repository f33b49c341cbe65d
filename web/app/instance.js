// The instance this page talks to (GET /api/v1/instance), fetched once per
// page: its id and its server key, which signs the log's tree heads and
// is the key receipts are checked with.
import * as api from './api.js';
import { decode } from './b64.js';

let pending = null;

// {instance_id, name, server_sign_pk, serverSignPk (32 bytes),
// channel_org, ...}; throws an ApiError.
export function instance() {
  pending ??= api.get('/instance').then((i) => {
    let pk;
    try {
      pk = decode(i?.server_sign_pk, 32);
    } catch {
      pk = null;
    }
    if (typeof i?.instance_id !== 'string' || !pk) {
      throw new api.IntegrityError('bad_answer', 'The server describes itself in a form this page does not understand. Reload the page.');
    }
    return { ...i, serverSignPk: pk };
  });
  pending.catch(() => {
    pending = null;
  });
  return pending;
}
