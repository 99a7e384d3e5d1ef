CREATE TABLE "local_edit_claims" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"key" jsonb NOT NULL,
	"field" text NOT NULL,
	"mutation_id" bigint NOT NULL,
	"columns" jsonb NOT NULL,
	"value" jsonb,
	"context" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "local_replaced_edits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"key" jsonb NOT NULL,
	"field" text NOT NULL,
	"mine" jsonb,
	"theirs" jsonb,
	"context" jsonb NOT NULL,
	"seq" bigint NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "local_edit_claims_field" ON "local_edit_claims" USING btree ("table_name","key","field");