<?php
// Installs WordPress in the test's folder and writes the fixture: the Causerie
// plugin and the test theme active, pretty permalinks (so /wp-json/ exists), and one
// post with French comments as WordPress would have stored them from its own form
// (wp_filter_comment), nested, with a pending one and a spam one that readers
// must not see. Run by stack.mjs with php-cli; prints the ids as JSON.
//   php setup.php <WordPress folder>

// No mail leaves a test (wp_install notifies the admin).
function wp_mail() { return true; }

define( 'WP_INSTALLING', true );
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$installed = wp_install( 'Causerie – essais', 'admin', 'admin@example.org', true, '', wp_generate_password( 24 ) );
if ( is_wp_error( $installed ) ) {
	fwrite( STDERR, $installed->get_error_message() . "\n" );
	exit( 1 );
}
update_option( 'blogdescription', '' );
update_option( 'timezone_string', 'Europe/Paris' );
// A French site: get_bloginfo( 'language' ) is then "fr-FR", which the plugin passes on.
update_option( 'WPLANG', 'fr_FR' );
// WordPress's defaults, said out loud since the test depends on them: name and
// e-mail required; a new author's first comment is held, a known author's is not.
update_option( 'require_name_email', 1 );
update_option( 'comment_moderation', 0 );
update_option( 'comment_previously_approved', 1 );
update_option( 'close_comments_for_old_posts', 0 );
update_option( 'thread_comments_depth', 5 );

global $wp_rewrite;
$wp_rewrite->set_permalink_structure( '/%year%/%monthnum%/%postname%/' );
$wp_rewrite->flush_rules( false );

switch_theme( 'causerie-test' );
$activated = activate_plugin( 'causerie-comments/causerie-comments.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, $activated->get_error_message() . "\n" );
	exit( 1 );
}

// Dates relative to now: a post dated in the future would only be scheduled.
function causerie_ago( $seconds ) {
	return gmdate( 'Y-m-d H:i:s', time() - $seconds );
}

$post_id = wp_insert_post(
	array(
		'post_title'     => "L'été des causeries & la « conversation lente »",
		'post_name'      => 'lete-des-causeries',
		'post_content'   => "<p>Un article pour essayer Causerie sur WordPress : les commentaires sont en dessous.</p>",
		'post_status'    => 'publish',
		'post_author'    => 1,
		'comment_status' => 'open',
		'post_date_gmt'  => causerie_ago( 5 * DAY_IN_SECONDS ),
		'post_date'      => get_date_from_gmt( causerie_ago( 5 * DAY_IN_SECONDS ) ),
	),
	true
);
if ( is_wp_error( $post_id ) ) {
	fwrite( STDERR, $post_id->get_error_message() . "\n" );
	exit( 1 );
}

// As wp_new_comment() stores a visitor's comment, without its flood and duplicate checks.
function causerie_comment( $post_id, $parent, $name, $email, $url, $gmt, $content, $approved ) {
	// Slashed in, slashed out: WordPress's filters work on slashed data.
	$data = wp_filter_comment(
		wp_slash( array(
			'comment_post_ID'      => $post_id,
			'comment_parent'       => $parent,
			'comment_author'       => $name,
			'comment_author_email' => $email,
			'comment_author_url'   => $url,
			'comment_author_IP'    => '192.0.2.10',
			'comment_agent'        => 'Mozilla/5.0',
			'comment_content'      => $content,
			'comment_type'         => 'comment',
			'user_id'              => 0,
		) )
	);
	$data['comment_date_gmt'] = $gmt;
	$data['comment_date']     = get_date_from_gmt( $gmt );
	$data['comment_approved'] = $approved;
	$id = wp_insert_comment( $data );
	if ( ! $id ) {
		fwrite( STDERR, "could not insert the comment of $name\n" );
		exit( 1 );
	}
	return $id;
}

$marie = causerie_comment(
	$post_id, 0, 'Marie Dupont', 'marie@example.fr', 'https://marie.example.fr', causerie_ago( 4 * DAY_IN_SECONDS ),
	"Merci pour cet article&nbsp;! C'est très clair... et « précis ».", 1
);
$jp = causerie_comment(
	$post_id, $marie, 'Jean-Pierre & Fils', 'jp@example.fr', '', causerie_ago( 4 * DAY_IN_SECONDS - 5400 ),
	"Je ne suis pas d'accord... Voir <a href=\"https://fr.wikipedia.org/wiki/Causerie\">l'article</a>.\n\nDeuxième paragraphe : <em>vraiment</em>.", 1
);
$marie2 = causerie_comment(
	$post_id, $jp, 'Marie Dupont', 'marie@example.fr', 'https://marie.example.fr', causerie_ago( 3 * DAY_IN_SECONDS ),
	"Chacun son avis -- c'est ça, la \"causerie\".", 1
);
$held = causerie_comment(
	$post_id, 0, 'Paul Martin', 'paul@example.fr', '', causerie_ago( 2 * DAY_IN_SECONDS ),
	'Ce commentaire attend la modération et ne doit pas paraître.', 0
);
$spam = causerie_comment(
	$post_id, $marie, 'Casino', 'win@example.com', 'https://casino.example', causerie_ago( 2 * DAY_IN_SECONDS - 900 ),
	'Gagnez gros&nbsp;!', 'spam'
);
$lucie = causerie_comment(
	$post_id, 0, 'Lucie', 'lucie@example.fr', '', causerie_ago( 2 * HOUR_IN_SECONDS ),
	"Question : 5 × 3 = 15&nbsp;? <strong>Oui</strong> &amp; c'est tout.", 1
);

echo json_encode(
	array(
		'post_id'  => $post_id,
		'link'     => get_permalink( $post_id ),
		'comments' => array(
			'marie'  => $marie,
			'jp'     => $jp,
			'marie2' => $marie2,
			'held'   => $held,
			'spam'   => $spam,
			'lucie'  => $lucie,
		),
	)
), "\n";
