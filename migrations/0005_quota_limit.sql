CREATE TABLE `__new_quota_usage` (
	`tenancy_id` text NOT NULL,
	`window` text NOT NULL,
	`window_start` integer NOT NULL,
	`used` integer NOT NULL,
	`limit` integer NOT NULL,
	PRIMARY KEY(`tenancy_id`, `window`, `window_start`),
	CONSTRAINT "quota_within_limit" CHECK("used" <= "limit")
);
--> statement-breakpoint
INSERT INTO `__new_quota_usage`("tenancy_id", "window", "window_start", "used", "limit") SELECT "tenancy_id", "window", "window_start", "used", "used" FROM `quota_usage`;--> statement-breakpoint
DROP TABLE `quota_usage`;--> statement-breakpoint
ALTER TABLE `__new_quota_usage` RENAME TO `quota_usage`;
