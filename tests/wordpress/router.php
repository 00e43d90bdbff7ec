<?php
// Router of PHP's built-in server for the WordPress test: files are served as
// they are (the widget's .wasm with the type WebAssembly.compileStreaming
// requires), everything else goes through WordPress's index.php as a web server's
// rewrite rules would send it.
$root = $_SERVER['DOCUMENT_ROOT'];
$path = urldecode( parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ?? '/' );
$file = $root . $path;
if ( $path !== '/' && is_file( $file ) ) {
	if ( substr( $file, -4 ) === '.php' ) {
		return false;   // wp-login.php and friends run as themselves
	}
	$types = array(
		'wasm' => 'application/wasm',
		'js'   => 'text/javascript; charset=utf-8',
		'css'  => 'text/css; charset=utf-8',
		'html' => 'text/html; charset=utf-8',
		'ttf'  => 'font/ttf',
		'json' => 'application/json',
	);
	$ext = pathinfo( $file, PATHINFO_EXTENSION );
	if ( ! isset( $types[ $ext ] ) ) {
		return false;
	}
	header( 'Content-Type: ' . $types[ $ext ] );
	header( 'Content-Length: ' . filesize( $file ) );
	readfile( $file );
	return true;
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
require $root . '/index.php';
