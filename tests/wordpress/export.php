<?php
// WordPress's own export (Tools > Export > All content): export_wp() writes the WXR
// to the standard output. Run by import.test.mjs with php-cli.
//   php export.php <WordPress folder>

function wp_mail() { return true; }

require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
export_wp( array( 'content' => 'all' ) );
