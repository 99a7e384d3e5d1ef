ALTER TABLE "devices" ADD COLUMN "window_months" integer;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "window_rows" integer;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_window_one_kind" CHECK ("devices"."window_months" is null or "devices"."window_rows" is null);--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_window_months_range" CHECK ("devices"."window_months" is null or "devices"."window_months" between 1 and 1200);--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_window_rows_range" CHECK ("devices"."window_rows" is null or "devices"."window_rows" between 100 and 100000000);