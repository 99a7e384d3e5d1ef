-- The commit seq is queued once per transaction, not once per change (sync/SPEC.md L3). Every
-- transaction's changes are numbered from op 0 (L2: `cadence.op` is local to the transaction,
-- and a rolled-back savepoint takes its numbers back with its changes), so the change with op 0
-- is always the first logged and always there when any is. A constraint trigger's WHEN is
-- evaluated when the row is written, not at commit: the other changes queue nothing, where each
-- of them used to queue a call of cadence_assign_seq() that found the seq taken and returned.
DROP TRIGGER change_log_assign_seq ON change_log;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER change_log_assign_seq AFTER INSERT ON change_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.op = 0) EXECUTE FUNCTION cadence_assign_seq();
