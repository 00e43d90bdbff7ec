<?php
// Printed by comments_template() in place of the theme's comments.php.
if ( ! defined( 'ABSPATH' ) ) {
	exit;
}
// The widget's files (causerie.js, causerie-widget.js, causerie-widget.wasm, fonts/):
// the plugin's widget/ folder, unless wp-config.php names another place.
$causerie_url = defined( 'CAUSERIE_WIDGET_URL' ) ? CAUSERIE_WIDGET_URL : plugins_url( 'widget/', __FILE__ );
?>
<div id="causerie"></div>
<script async src="<?php echo esc_url( $causerie_url . 'causerie.js' ); ?>"
	data-api-kind="wordpress"
	data-api="<?php echo esc_url( get_rest_url() ); ?>"
	data-thread="<?php echo (int) get_the_ID(); ?>"
	data-lang="<?php echo esc_attr( get_bloginfo( 'language' ) ); ?>"></script>
