-- Append-only attribute schemas, enforced by the server database itself so that no code path
-- (a bug, a script, a hand-written UPDATE) can make a logged value uninterpretable. The shared
-- mutations reject the same edits first, with the same advice; this is the backstop.
CREATE OR REPLACE FUNCTION cadence_attributes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.type IS DISTINCT FROM OLD.type OR NEW.unit IS DISTINCT FROM OLD.unit THEN
      RAISE EXCEPTION 'attribute "%" cannot change type from % to %: values already logged must stay interpretable; retire it and append a new attribute instead', OLD.name, OLD.type, NEW.type
        USING ERRCODE = 'check_violation', CONSTRAINT = 'attributes_append_only';
    END IF;
    IF NEW.ordinal IS DISTINCT FROM OLD.ordinal THEN
      RAISE EXCEPTION 'attribute "%" cannot move from position % to %: attribute order is append-only', OLD.name, OLD.ordinal, NEW.ordinal
        USING ERRCODE = 'check_violation', CONSTRAINT = 'attributes_append_only';
    END IF;
    IF NEW.activity_id IS DISTINCT FROM OLD.activity_id OR NEW.library_id IS DISTINCT FROM OLD.library_id THEN
      RAISE EXCEPTION 'attribute "%" cannot move to another activity', OLD.name
        USING ERRCODE = 'check_violation', CONSTRAINT = 'attributes_append_only';
    END IF;
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM entry_values WHERE attribute_id = OLD.id) THEN
    RAISE EXCEPTION 'attribute "%" cannot be removed: entries hold values for it; retire it instead', OLD.name
      USING ERRCODE = 'check_violation', CONSTRAINT = 'attributes_append_only';
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attributes_append_only BEFORE UPDATE OR DELETE ON attributes
  FOR EACH ROW EXECUTE FUNCTION cadence_attributes_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cadence_attribute_options_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.ordinal IS DISTINCT FROM OLD.ordinal OR NEW.attribute_id IS DISTINCT FROM OLD.attribute_id THEN
    RAISE EXCEPTION 'choice "%" cannot move: choice options are append-only', OLD.label
      USING ERRCODE = 'check_violation', CONSTRAINT = 'attribute_options_append_only';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER attribute_options_append_only BEFORE UPDATE ON attribute_options
  FOR EACH ROW EXECUTE FUNCTION cadence_attribute_options_append_only();
