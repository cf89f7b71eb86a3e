CREATE TABLE "survey_cell_counts" (
	"administration_id" integer NOT NULL,
	"dim" text NOT NULL,
	"item" smallint NOT NULL,
	"org_id" integer NOT NULL,
	"grp" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "survey_cell_counts_administration_id_dim_item_org_id_grp_pk" PRIMARY KEY("administration_id","dim","item","org_id","grp")
);
--> statement-breakpoint
CREATE TABLE "survey_layouts" (
	"instrument_id" text NOT NULL,
	"instrument_version" integer NOT NULL,
	"rated" text[] NOT NULL,
	CONSTRAINT "survey_layouts_instrument_id_instrument_version_pk" PRIMARY KEY("instrument_id","instrument_version")
);
--> statement-breakpoint
CREATE TABLE "survey_scale_counts" (
	"administration_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"scale" smallint NOT NULL,
	"band" smallint NOT NULL,
	"dim" text NOT NULL,
	"grp" text NOT NULL,
	"n" integer NOT NULL,
	"score_sum" double precision NOT NULL,
	"fav" integer NOT NULL,
	"answers" integer NOT NULL,
	CONSTRAINT "survey_scale_counts_administration_id_org_id_scale_band_dim_grp_pk" PRIMARY KEY("administration_id","org_id","scale","band","dim","grp")
);
--> statement-breakpoint
CREATE TABLE "survey_scale_items" (
	"instrument_id" text NOT NULL,
	"instrument_version" integer NOT NULL,
	"scale" smallint NOT NULL,
	"item" smallint NOT NULL,
	"reverse" boolean NOT NULL,
	"lo" smallint NOT NULL,
	"hi" smallint NOT NULL,
	"fav_from" smallint NOT NULL,
	"method" text NOT NULL,
	"min_answered" double precision NOT NULL,
	"item_count" smallint NOT NULL,
	"band_mins" double precision[] NOT NULL,
	"band_max" double precision,
	CONSTRAINT "survey_scale_items_instrument_id_instrument_version_scale_item_pk" PRIMARY KEY("instrument_id","instrument_version","scale","item")
);
--> statement-breakpoint
DROP INDEX "survey_responses_pending_idx";--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "min_cell_size" integer;--> statement-breakpoint
CREATE INDEX "survey_responses_pending_idx" ON "survey_responses" USING btree ("administration_id","org_id","submission_id") WHERE not "survey_responses"."rolled";--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_min_cell_size_check" CHECK ("organizations"."min_cell_size" between 5 and 30);--> statement-breakpoint
-- Counts now cover every organisation above a school and scale scores: count every response again.
DELETE FROM "survey_item_counts";--> statement-breakpoint
UPDATE "survey_responses" SET "rolled" = false WHERE "rolled";
