-- The commit does the grant's copy and records its time (sync/SPEC.md S2, C1).
-- cadence_assign_seq() runs once per transaction that wrote to the change log, at commit. Once
-- it holds the sync_state row lock, every transaction with a smaller seq has committed and every
-- later one waits for this commit, so a library copied here (cadence_copy_library, rendered from
-- the registry in the sync-triggers migrations) holds exactly the writes ordered before the
-- grant. Each statement of a READ COMMITTED transaction reads a fresh snapshot, which sees them.
-- committed_at is the clock at commit, not the transaction's start (now()): compaction by age
-- must not take a long transaction that committed inside the keep window for an old one.
CREATE OR REPLACE FUNCTION cadence_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
  g record;
BEGIN
  IF coalesce(current_setting('cadence.seq', true), '') <> '' THEN
    RETURN NULL;
  END IF;
  UPDATE sync_state SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO s;
  -- Set first: the copy's own change_log rows queue this trigger again, and it must return.
  PERFORM set_config('cadence.seq', s::text, true);
  FOR g IN
    SELECT DISTINCT x.user_id, x.library_id
    FROM jsonb_to_recordset(coalesce(nullif(current_setting('cadence.grants', true), ''), '[]')::jsonb) AS x(user_id uuid, library_id uuid)
    WHERE EXISTS (SELECT 1 FROM library_members m WHERE m.user_id = x.user_id AND m.library_id = x.library_id)
  LOOP
    PERFORM cadence_copy_library('user:' || g.user_id, g.library_id);
  END LOOP;
  INSERT INTO change_transactions (tx, seq, committed_at) VALUES (pg_current_xact_id(), s, clock_timestamp());
  PERFORM pg_notify('cadence_log', s::text);
  RETURN NULL;
END
$$;
