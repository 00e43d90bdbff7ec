<?php
// Test fixture (copied into wp-content/mu-plugins by stack.mjs): avatars without
// Gravatar, since the test runs offline. Marie has a picture on the site (the test
// writes uploads/marie.png); Lucie's is missing (a 404: the widget keeps its own
// drawn avatar); everyone else has none, as with a site filter that turns them off.
add_filter(
	'pre_get_avatar_data',
	function ( $args, $id_or_email ) {
		$email = $id_or_email instanceof WP_Comment ? $id_or_email->comment_author_email : (string) $id_or_email;
		if ( 'marie@example.fr' === $email ) {
			$args['url'] = content_url( 'uploads/marie.png' );
		} elseif ( 'lucie@example.fr' === $email ) {
			$args['url'] = content_url( 'uploads/lucie-missing.png' );
		} else {
			$args['url'] = false;
		}
		return $args;
	},
	10,
	2
);
