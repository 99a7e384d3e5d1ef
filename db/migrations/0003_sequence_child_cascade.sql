ALTER TABLE "sequence_items" DROP CONSTRAINT "sequence_items_child_id_activities_id_fk";
--> statement-breakpoint
ALTER TABLE "sequence_items" ADD CONSTRAINT "sequence_items_child_id_activities_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;