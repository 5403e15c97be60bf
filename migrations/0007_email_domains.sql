CREATE TABLE `dkims` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`email_domain_id` text NOT NULL,
	`domain_name` text NOT NULL,
	`compartment_id` text NOT NULL,
	`name` text NOT NULL,
	`lifecycle_state` text NOT NULL,
	`lifecycle_details` text,
	`description` text,
	`is_imported` integer NOT NULL,
	`key_length` integer NOT NULL,
	`public_key` text NOT NULL,
	`sealed_private_key` text NOT NULL,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL,
	`time_activated` integer,
	`next_check_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dkims_live_selector` ON `dkims` (`email_domain_id`,`name`) WHERE "dkims"."lifecycle_state" <> 'DELETED';--> statement-breakpoint
CREATE INDEX `dkims_by_domain` ON `dkims` (`tenancy_id`,`email_domain_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `dkims_check_due` ON `dkims` (`next_check_at`);--> statement-breakpoint
CREATE TABLE `email_domains` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`compartment_id` text NOT NULL,
	`name` text NOT NULL,
	`lifecycle_state` text NOT NULL,
	`description` text,
	`domain_verification_id` text,
	`active_dkim_id` text,
	`is_spf` integer DEFAULT false NOT NULL,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`locks` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_domains_live_name` ON `email_domains` (`tenancy_id`,`name`) WHERE "email_domains"."lifecycle_state" <> 'DELETED';--> statement-breakpoint
CREATE INDEX `email_domains_by_time` ON `email_domains` (`tenancy_id`,`compartment_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `email_domains_by_name` ON `email_domains` (`tenancy_id`,`compartment_id`,`name`,`id`);--> statement-breakpoint
CREATE TABLE `email_return_paths` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`parent_resource_id` text NOT NULL,
	`domain_name` text NOT NULL,
	`compartment_id` text NOT NULL,
	`name` text NOT NULL,
	`lifecycle_state` text NOT NULL,
	`lifecycle_details` text,
	`description` text,
	`freeform_tags` text NOT NULL,
	`defined_tags` text NOT NULL,
	`locks` text NOT NULL,
	`etag` text NOT NULL,
	`time_created` integer NOT NULL,
	`time_updated` integer NOT NULL,
	`next_check_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_return_paths_live_name` ON `email_return_paths` (`tenancy_id`,`name`) WHERE "email_return_paths"."lifecycle_state" <> 'DELETED';--> statement-breakpoint
CREATE INDEX `email_return_paths_by_parent` ON `email_return_paths` (`tenancy_id`,`parent_resource_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `email_return_paths_by_compartment` ON `email_return_paths` (`tenancy_id`,`compartment_id`,`time_created`,`id`);--> statement-breakpoint
CREATE INDEX `email_return_paths_check_due` ON `email_return_paths` (`next_check_at`);--> statement-breakpoint
CREATE TABLE `work_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`compartment_id` text NOT NULL,
	`operation_type` text NOT NULL,
	`status` text NOT NULL,
	`resources` text NOT NULL,
	`percent_complete` integer NOT NULL,
	`logs` text NOT NULL,
	`errors` text NOT NULL,
	`retry_token` text,
	`retry_digest` text,
	`time_accepted` integer NOT NULL,
	`time_started` integer,
	`time_finished` integer
);
--> statement-breakpoint
CREATE INDEX `work_requests_by_time` ON `work_requests` (`tenancy_id`,`compartment_id`,`time_accepted`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `work_requests_retry` ON `work_requests` (`tenancy_id`,`operation_type`,`retry_token`) WHERE "work_requests"."retry_token" IS NOT NULL;