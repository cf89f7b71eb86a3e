CREATE TABLE "coverage_rollup" (
	"group_id" integer NOT NULL,
	"group_path" text NOT NULL,
	"instrument_id" text NOT NULL,
	"school_year" text NOT NULL,
	"submitted" integer NOT NULL,
	"started" integer NOT NULL,
	"last_year" integer NOT NULL,
	CONSTRAINT "coverage_rollup_group_id_instrument_id_school_year_pk" PRIMARY KEY("group_id","instrument_id","school_year")
);
--> statement-breakpoint
CREATE INDEX "coverage_rollup_path_idx" ON "coverage_rollup" USING btree ("group_path" text_pattern_ops,"instrument_id","school_year");