CREATE TABLE `iam_api_keys` (
	`tenancy_id` text NOT NULL,
	`user_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`key_value` text NOT NULL,
	`time_created` integer NOT NULL,
	PRIMARY KEY(`user_id`, `fingerprint`)
);
--> statement-breakpoint
CREATE TABLE `iam_compartments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`parent_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`description` text NOT NULL,
	`lifecycle_state` text NOT NULL,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iam_compartments_live_name` ON `iam_compartments` (`tenancy_id`,`parent_id`,`name_key`) WHERE "iam_compartments"."lifecycle_state" <> 'DELETED';--> statement-breakpoint
CREATE INDEX `iam_compartments_by_parent` ON `iam_compartments` (`tenancy_id`,`parent_id`,`time_created`,`id`);--> statement-breakpoint
CREATE TABLE `iam_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`description` text NOT NULL,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iam_groups_name` ON `iam_groups` (`tenancy_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `iam_groups_by_time` ON `iam_groups` (`tenancy_id`,`time_created`,`id`);--> statement-breakpoint
CREATE TABLE `iam_memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`user_id` text NOT NULL,
	`group_id` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iam_memberships_pair` ON `iam_memberships` (`user_id`,`group_id`);--> statement-breakpoint
CREATE INDEX `iam_memberships_by_group` ON `iam_memberships` (`group_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `iam_memberships_by_tenancy` ON `iam_memberships` (`tenancy_id`,`time_created`,`id`);--> statement-breakpoint
CREATE TABLE `iam_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`compartment_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`description` text NOT NULL,
	`statements` text NOT NULL,
	`grants` text NOT NULL,
	`version_date` integer,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iam_policies_name` ON `iam_policies` (`tenancy_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `iam_policies_by_compartment` ON `iam_policies` (`tenancy_id`,`compartment_id`,`time_created`,`id`);--> statement-breakpoint
CREATE TABLE `iam_smtp_credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`user_id` text NOT NULL,
	`username` text NOT NULL,
	`description` text NOT NULL,
	`password_hash` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iam_smtp_credentials_username` ON `iam_smtp_credentials` (`username`);--> statement-breakpoint
CREATE INDEX `iam_smtp_credentials_by_user` ON `iam_smtp_credentials` (`user_id`,`time_created`);--> statement-breakpoint
CREATE TABLE `iam_tenancies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `iam_users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`description` text NOT NULL,
	`email` text,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iam_users_name` ON `iam_users` (`tenancy_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `iam_users_by_time` ON `iam_users` (`tenancy_id`,`time_created`,`id`);