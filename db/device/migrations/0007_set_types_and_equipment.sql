ALTER TABLE "entries" ADD COLUMN "set_type" text;--> statement-breakpoint
ALTER TABLE "user_settings" ADD COLUMN "equipment" jsonb;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_set_type_valid" CHECK ("entries"."set_type" is null or "entries"."set_type" in ('warmup', 'drop', 'failure'));