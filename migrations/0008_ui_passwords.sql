CREATE TABLE `iam_ui_passwords` (
	`user_id` text PRIMARY KEY NOT NULL,
	`tenancy_id` text NOT NULL,
	`password_hash` text NOT NULL,
	`time_created` integer NOT NULL
);
