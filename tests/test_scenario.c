/* test_scenario.c - scenario_load: validation messages and accepted forms.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test starts from a fresh temporary directory holding a valid base
 * scenario (written from the strings below), replaces one or two files,
 * and checks either that scenario_load fails with IDN_EDATA and a message
 * that starts with "DIR/FILE:LINE: COLUMN:" and names the problem, or
 * that the variant loads with the values SPEC section 1 implies.  Line
 * numbers are physical lines of the file (header = line 1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario.h"

/* The base scenario: the worked example of the spec plus a node t0 with
 * hardware tpu (only "small" runs there, capacity inf) and a router r0
 * with empty hardware.
 *   nodes  0 a0, 1 a1, 2 e0, 3 c0, 4 t0, 5 r0
 *   models 0 small, 1 big
 *   hw     0 "", 1 cpu, 2 gpu, 3 tpu (first appearance in profiles.csv) */
static const char NODES[] =
	"node,tier,hardware,budget_mb\n"
	"a0,access,cpu,100\n"             /* line 2 */
	"a1,access,cpu,0\n"               /* line 3 */
	"e0,edge,gpu,200\n"               /* line 4 */
	"c0,cloud,gpu,0\n"                /* line 5 */
	"t0,edge,tpu,50\n"                /* line 6 */
	"r0,router,,0\n";                 /* line 7 */
static const char LINKS[] =
	"a,b,delay_ms\n"
	"a0,e0,5\n"                       /* line 2 */
	"a1,e0,3\n"                       /* line 3 */
	"e0,c0,20\n"                      /* line 4 */
	"t0,r0,1\n"                       /* line 5 */
	"r0,c0,2\n";                      /* line 6 */
static const char MODELS[] =
	"model,task,size_mb,accuracy\n"
	"small,cls,50,0.70\n"             /* line 2 */
	"big,cls,200,0.80\n";             /* line 3 */
static const char PROFILES[] =
	"model,hardware,latency_ms,capacity_rps\n"
	"small,cpu,20,10\n"               /* line 2 */
	"small,gpu,5,100\n"               /* line 3 */
	"big,cpu,80,2\n"                  /* line 4 */
	"big,gpu,10,25\n"                 /* line 5 */
	"small,tpu,1,inf\n";              /* line 6 */
static const char PINNED[] =
	"node,model\n"
	"c0,big\n";                       /* line 2 */

static const struct {
	const char *file, *text;
} BASE[] = {
	{ "nodes.csv", NODES }, { "links.csv", LINKS },
	{ "models.csv", MODELS }, { "profiles.csv", PROFILES },
	{ "pinned.csv", PINNED },
};
#define N_FILES (sizeof BASE / sizeof BASE[0])

/* One file replaced: text NULL deletes it; len counts bytes (NULs too). */
struct edit {
	const char *file;
	const char *text;
	size_t len;
};
#define EDIT(f, s) { f, s, sizeof(s) - 1 }
#define GONE(f) { f, NULL, 0 }

struct bad_case {
	const char *name;
	struct edit ed[2];
	const char *prefix;   /* message starts with DIR/ + prefix */
	const char *word;     /* and contains this */
};

struct fixture {
	char dir[64];
	const void *data;
};

static void write_file(const char *dir, const char *name, const char *text,
                       size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!text) {
		assert_int_equal(unlink(path), 0);
		return;
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/idn-test-scenario.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	for (size_t i = 0; i < N_FILES; i++)
		write_file(fx->dir, BASE[i].file, BASE[i].text,
		           strlen(BASE[i].text));
	fx->data = *state;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char path[512];
	DIR *d = opendir(fx->dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", fx->dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- failing cases ------------------------------------------------------ */

static const struct bad_case BAD[] = {
	/* numbers */
	{ "budget_negative", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,-1\n") },
	  "nodes.csv:2: budget_mb: ", "'-1'" },
	{ "budget_x", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\na1,access,cpu,x\n") },
	  "nodes.csv:3: budget_mb: ", "'x'" },
	{ "budget_empty", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,\n") },
	  "nodes.csv:2: budget_mb: ", "''" },
	{ "budget_trailing_garbage", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100MB\n") },
	  "nodes.csv:2: budget_mb: ", "'100MB'" },
	{ "budget_nan", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,NaN\n") },
	  "nodes.csv:2: budget_mb: ", "'NaN'" },
	{ "budget_inf", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,inf\n") },
	  "nodes.csv:2: budget_mb: ", "'inf'" },
	{ "budget_1e999", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,1e999\n") },
	  "nodes.csv:2: budget_mb: ", "'1e999'" },
	{ "size_zero", { EDIT("models.csv",
	  "model,task,size_mb,accuracy\nsmall,cls,0,0.70\nbig,cls,200,0.80\n") },
	  "models.csv:2: size_mb: ", "'0'" },
	{ "size_negative", { EDIT("models.csv",
	  "model,task,size_mb,accuracy\nsmall,cls,50,0.70\nbig,cls,-200,0.80\n") },
	  "models.csv:3: size_mb: ", "'-200'" },
	{ "accuracy_1.5", { EDIT("models.csv",
	  "model,task,size_mb,accuracy\nsmall,cls,50,0.70\nbig,cls,200,1.5\n") },
	  "models.csv:3: accuracy: ", "'1.5'" },
	{ "accuracy_-0.1", { EDIT("models.csv",
	  "model,task,size_mb,accuracy\nsmall,cls,50,-0.1\nbig,cls,200,0.80\n") },
	  "models.csv:2: accuracy: ", "'-0.1'" },
	{ "latency_negative", { EDIT("profiles.csv",
	  "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,10\nsmall,gpu,-5,100\nbig,cpu,80,2\nbig,gpu,10,25\n") },
	  "profiles.csv:3: latency_ms: ", "'-5'" },
	{ "capacity_zero", { EDIT("profiles.csv",
	  "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,0\nsmall,gpu,5,100\nbig,cpu,80,2\nbig,gpu,10,25\n") },
	  "profiles.csv:2: capacity_rps: ", "'0'" },
	{ "capacity_negative", { EDIT("profiles.csv",
	  "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,10\nsmall,gpu,5,100\nbig,cpu,80,2\nbig,gpu,10,-25\n") },
	  "profiles.csv:5: capacity_rps: ", "'-25'" },
	{ "capacity_minus_inf", { EDIT("profiles.csv",
	  "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,10\nsmall,gpu,5,100\nbig,cpu,80,2\nbig,gpu,10,-inf\n") },
	  "profiles.csv:5: capacity_rps: ", "'-inf'" },
	{ "delay_negative", { EDIT("links.csv",
	  "a,b,delay_ms\na0,e0,5\na1,e0,-3\ne0,c0,20\n") },
	  "links.csv:3: delay_ms: ", "'-3'" },

	/* references */
	{ "unknown_hardware", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\na1,access,cpu,0\n"
	  "e0,edge,gpx,200\nc0,cloud,gpu,0\n") },
	  "nodes.csv:4: hardware: ", "'gpx'" },
	{ "profile_unknown_model", { EDIT("profiles.csv",
	  "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,10\nsmall,gpu,5,100\nbog,cpu,80,2\nbig,gpu,10,25\n") },
	  "profiles.csv:4: model: ", "'bog'" },
	{ "link_unknown_a", { EDIT("links.csv",
	  "a,b,delay_ms\na0,e0,5\na9,e0,3\ne0,c0,20\n") },
	  "links.csv:3: a: ", "'a9'" },
	{ "link_unknown_b", { EDIT("links.csv",
	  "a,b,delay_ms\na0,e0,5\na1,e0,3\ne0,c9,20\n") },
	  "links.csv:4: b: ", "'c9'" },
	{ "pinned_unknown_node", { EDIT("pinned.csv",
	  "node,model\nc0,big\nc9,big\n") },
	  "pinned.csv:3: node: ", "'c9'" },
	{ "pinned_unknown_model", { EDIT("pinned.csv",
	  "node,model\nc0,bog\n") },
	  "pinned.csv:2: model: ", "'bog'" },
	/* big has no tpu profile; the router runs nothing */
	{ "pinned_without_profile", { EDIT("pinned.csv",
	  "node,model\nc0,big\nt0,big\n") },
	  "pinned.csv:3: model: ", "profile" },
	{ "pinned_on_router", { EDIT("pinned.csv",
	  "node,model\nr0,small\nc0,big\n") },
	  "pinned.csv:2: model: ", "profile" },

	/* duplicates: the later row is the culprit */
	{ "duplicate_node", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\na1,access,cpu,0\n"
	  "e0,edge,gpu,200\nc0,cloud,gpu,0\ne0,edge,gpu,10\n") },
	  "nodes.csv:6: node: ", "duplicate" },
	{ "duplicate_model", { EDIT("models.csv",
	  "model,task,size_mb,accuracy\nsmall,cls,50,0.70\nbig,cls,200,0.80\n"
	  "small,det,10,0.5\n") },
	  "models.csv:4: model: ", "duplicate" },
	{ "duplicate_profile", { EDIT("profiles.csv",
	  "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,10\nsmall,gpu,5,100\nbig,cpu,80,2\nbig,gpu,10,25\n"
	  "small,cpu,21,11\n") },
	  "profiles.csv:6: hardware: ", "duplicate" },
	{ "duplicate_pin", { EDIT("pinned.csv",
	  "node,model\nc0,big\nc0,big\n") },
	  "pinned.csv:3: model: ", "duplicate" },
	/* rows sorted internally must still report the later physical row */
	{ "duplicate_pin_apart", { EDIT("pinned.csv",
	  "node,model\ne0,big\nc0,big\ne0,small\nc0,small\nc0,big\n") },
	  "pinned.csv:6: model: ", "duplicate" },

	/* structure */
	{ "self_loop", { EDIT("links.csv",
	  "a,b,delay_ms\na0,e0,5\na1,a1,3\ne0,c0,20\n") },
	  "links.csv:3: b: ", "self-loop" },
	{ "no_nodes", { EDIT("nodes.csv", "node,tier,hardware,budget_mb\n") },
	  "nodes.csv:2: node: ", "no nodes" },
	{ "no_models", { EDIT("models.csv", "model,task,size_mb,accuracy\n") },
	  "models.csv:2: model: ", "no models" },
	{ "empty_node_name", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n,access,cpu,0\n") },
	  "nodes.csv:3: node: ", "empty" },

	/* CSV syntax */
	{ "too_many_fields", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	  "a1,access,cpu,0,9\n") },
	  "nodes.csv:3: ", "5 fields" },
	{ "too_few_fields", { EDIT("links.csv",
	  "a,b,delay_ms\na0,e0,5\na1,e0\n") },
	  "links.csv:3: ", "2 fields" },
	{ "unterminated_quote_first_field", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	  "\"a1,access,cpu,0\ne0,edge,gpu,200\n") },
	  "nodes.csv:3: ", "unterminated quote" },
	{ "unterminated_quote_later_field", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	  "a1,\"access,cpu,0\ne0,edge,gpu,200\n") },
	  "nodes.csv:3: ", "unterminated quote" },
	{ "stray_quote", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	  "a1,acc\"ess,cpu,0\n") },
	  "nodes.csv:3: ", "malformed" },
	{ "nul_byte", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	  "a1,acc\0ess,cpu,0\n") },
	  "nodes.csv:3: tier: ", "NUL" },
	/* line numbers stay physical across a quoted newline and a blank
	 * line */
	{ "line_after_quoted_newline", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	  "a1,\"acc\ness\",cpu,0\ne0,edge,gpx,200\n") },
	  "nodes.csv:5: hardware: ", "'gpx'" },
	{ "line_after_blank_line", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\na0,access,cpu,100\n\n"
	  "a1,access,cpu,0\ne0,edge,gpx,200\n") },
	  "nodes.csv:5: hardware: ", "'gpx'" },
	{ "line_with_crlf", { EDIT("nodes.csv",
	  "node,tier,hardware,budget_mb\r\na0,access,cpu,100\r\n"
	  "a1,access,cpu,-2\r\n") },
	  "nodes.csv:3: budget_mb: ", "'-2'" },
};
#define N_BAD (sizeof BAD / sizeof BAD[0])

static void expect_failure(const char *dir, const char *prefix,
                           const char *word)
{
	struct scenario *sc = (struct scenario *)1;
	struct idn_err e = { "" };
	char want[512];
	int rc = scenario_load(&sc, dir, &e);

	snprintf(want, sizeof want, "%s/%s", dir, prefix);
	print_message("# message: %s\n", e.msg);
	assert_int_equal(rc, IDN_EDATA);
	assert_null(sc);
	assert_null(strchr(e.msg, '\n'));
	if (strncmp(e.msg, want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with '%s'", e.msg, want);
	if (!strstr(e.msg + strlen(want), word))
		fail_msg("message '%s' lacks '%s'", e.msg, word);
}

static void test_bad(void **state)
{
	struct fixture *fx = *state;
	const struct bad_case *c = fx->data;

	for (int i = 0; i < 2 && c->ed[i].file; i++)
		write_file(fx->dir, c->ed[i].file, c->ed[i].text, c->ed[i].len);
	expect_failure(fx->dir, c->prefix, c->word);
}

/* Generated cases: a missing file, an empty file and a renamed header
 * column, for every file and every required column. */
struct gen_case {
	char name[64];
	const char *file;
	char *text;           /* NULL: delete the file */
	char prefix[64];
	char word[64];
};

static void test_generated(void **state)
{
	struct fixture *fx = *state;
	const struct gen_case *c = fx->data;

	write_file(fx->dir, c->file, c->text, c->text ? strlen(c->text) : 0);
	expect_failure(fx->dir, c->prefix, c->word);
}

/* ---- accepted forms ----------------------------------------------------- */

static struct scenario *load_ok(const char *dir)
{
	struct scenario *sc = NULL;
	struct idn_err e = { "" };
	int rc = scenario_load(&sc, dir, &e);

	if (rc != IDN_OK)
		fail_msg("scenario_load failed (%d): %s", rc, e.msg);
	assert_non_null(sc);
	return sc;
}

static uint32_t node_index(const struct scenario *sc, const char *name)
{
	for (uint32_t v = 0; v < sc->n_nodes; v++)
		if (strcmp(sc->node_name[v], name) == 0)
			return v;
	fail_msg("no node '%s'", name);
	return UINT32_MAX;
}

/* Delay of the link u-w from the adjacency, or -1 if absent; fails if w
 * is listed twice among u's neighbours. */
static double adj_delay(const struct scenario *sc, uint32_t u, uint32_t w)
{
	double d = -1;
	int seen = 0;

	for (uint32_t j = sc->adj_off[u]; j < sc->adj_off[u + 1]; j++)
		if (sc->adj_to[j] == w) {
			d = sc->adj_delay[j];
			seen++;
		}
	assert_true(seen <= 1);
	return d;
}

static uint32_t degree(const struct scenario *sc, uint32_t u)
{
	return sc->adj_off[u + 1] - sc->adj_off[u];
}

static void test_base(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc = load_ok(fx->dir);

	assert_int_equal(sc->n_nodes, 6);
	assert_int_equal(sc->n_models, 2);
	assert_int_equal(sc->n_tasks, 1);
	assert_int_equal(sc->n_tiers, 4);        /* access edge cloud router */
	assert_int_equal(sc->n_hw, 4);           /* "" cpu gpu tpu */
	assert_int_equal(sc->n_links, 5);
	assert_int_equal(sc->n_pinned, 1);
	assert_string_equal(sc->node_name[0], "a0");
	assert_string_equal(sc->node_name[5], "r0");
	assert_string_equal(sc->model_name[1], "big");
	assert_string_equal(sc->hw_name[0], "");
	assert_string_equal(sc->hw_name[1], "cpu");
	assert_string_equal(sc->hw_name[3], "tpu");
	assert_true(sc->node_budget[2] == 200);
	assert_true(sc->node_budget[1] == 0);
	assert_true(sc->model_size[1] == 200);
	assert_true(sc->model_acc[0] == 0.70);
	assert_int_equal(sc->node_tier[0], sc->node_tier[1]);
	assert_string_equal(sc->tier_name[sc->node_tier[2]], "edge");
	assert_true(scenario_pinned(sc, 3, 1));    /* c0, big */
	assert_false(scenario_pinned(sc, 3, 0));
	assert_false(scenario_pinned(sc, 2, 1));
	/* a0 (cpu): small 20 ms, 10 rps; e0 (gpu): big 10 ms, 25 rps */
	assert_true(scenario_latency(sc, 0, 0) == 20);
	assert_true(scenario_capacity(sc, 0, 0) == 10);
	assert_true(scenario_latency(sc, 1, 2) == 10);
	assert_true(scenario_capacity(sc, 1, 2) == 25);
	/* t0 (tpu): only small, capacity inf */
	assert_true(scenario_runnable(sc, 0, 4));
	assert_false(scenario_runnable(sc, 1, 4));
	assert_true(isinf(scenario_capacity(sc, 0, 4)));
	assert_true(scenario_capacity(sc, 0, 4) > 0);
	/* links are undirected */
	assert_true(adj_delay(sc, 0, 2) == 5);
	assert_true(adj_delay(sc, 2, 0) == 5);
	assert_true(adj_delay(sc, 3, 2) == 20);
	assert_true(adj_delay(sc, 0, 1) == -1);
	assert_int_equal(degree(sc, 2), 3);       /* e0: a0 a1 c0 */
	scenario_free(sc);
}

static void write_all(const char *dir, const char *nodes, const char *links,
                      const char *models, const char *profiles,
                      const char *pinned)
{
	const char *text[] = { nodes, links, models, profiles, pinned };

	for (size_t i = 0; i < N_FILES; i++)
		if (text[i])
			write_file(dir, BASE[i].file, text[i], strlen(text[i]));
}

static void test_crlf_bom(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc;

	write_all(fx->dir,
	          "\xEF\xBB\xBFnode,tier,hardware,budget_mb\r\n"
	          "a0,access,cpu,100\r\na1,access,cpu,0\r\n"
	          "e0,edge,gpu,200\r\nc0,cloud,gpu,0\r\n",
	          "\xEF\xBB\xBF" "a,b,delay_ms\r\na0,e0,5\r\na1,e0,3\r\n"
	          "e0,c0,20\r\n",
	          "\xEF\xBB\xBFmodel,task,size_mb,accuracy\r\n"
	          "small,cls,50,0.70\r\nbig,cls,200,0.80\r\n",
	          "\xEF\xBB\xBFmodel,hardware,latency_ms,capacity_rps\r\n"
	          "small,cpu,20,10\r\nsmall,gpu,5,100\r\nbig,cpu,80,2\r\n"
	          "big,gpu,10,25\r\n",
	          "\xEF\xBB\xBFnode,model\r\nc0,big\r\n");
	sc = load_ok(fx->dir);
	assert_int_equal(sc->n_nodes, 4);
	assert_string_equal(sc->node_name[0], "a0");
	assert_string_equal(sc->node_name[3], "c0");
	assert_string_equal(sc->tier_name[sc->node_tier[3]], "cloud");
	assert_string_equal(sc->model_name[1], "big");
	assert_string_equal(sc->task_name[0], "cls");
	assert_true(sc->node_budget[3] == 0);
	assert_true(sc->model_acc[1] == 0.80);
	assert_true(scenario_capacity(sc, 1, 2) == 25);
	assert_true(adj_delay(sc, 2, 3) == 20);
	assert_true(scenario_pinned(sc, 3, 1));
	scenario_free(sc);
}

static void test_extra_columns(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc;

	write_all(fx->dir,
	          "node,lat,tier,hardware,budget_mb,lon\n"
	          "a0,45.1,access,cpu,100,7.6\na1,45.2,access,cpu,0,7.7\n"
	          "e0,45.3,edge,gpu,200,7.8\nc0,48.8,cloud,gpu,0,2.3\n"
	          "t0,1,edge,tpu,50,2\nr0,3,router,,0,4\n",
	          "a,b,delay_ms,kind\na0,e0,5,fibre\na1,e0,3,x\ne0,c0,20,y\n"
	          "t0,r0,1,z\nr0,c0,2,w\n",
	          "source,model,task,size_mb,accuracy\n"
	          "keras,small,cls,50,0.70\ntimm,big,cls,200,0.80\n",
	          NULL,
	          "note,node,model\nrepo,c0,big\n");
	sc = load_ok(fx->dir);
	assert_int_equal(sc->n_nodes, 6);
	assert_string_equal(sc->tier_name[sc->node_tier[0]], "access");
	assert_true(sc->node_budget[2] == 200);
	assert_true(sc->node_budget[4] == 50);
	assert_string_equal(sc->model_name[0], "small");
	assert_string_equal(sc->task_name[sc->model_task[1]], "cls");
	assert_true(sc->model_size[1] == 200);
	assert_true(adj_delay(sc, 1, 2) == 3);
	assert_true(scenario_pinned(sc, 3, 1));
	scenario_free(sc);
}

static void test_column_order(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc;

	write_all(fx->dir,
	          "budget_mb,hardware,node,tier\n"
	          "100,cpu,a0,access\n0,cpu,a1,access\n200,gpu,e0,edge\n"
	          "0,gpu,c0,cloud\n",
	          "delay_ms,b,a\n5,e0,a0\n3,e0,a1\n20,c0,e0\n",
	          "accuracy,size_mb,task,model\n0.70,50,cls,small\n"
	          "0.80,200,cls,big\n",
	          "capacity_rps,latency_ms,hardware,model\n10,20,cpu,small\n"
	          "100,5,gpu,small\n2,80,cpu,big\n25,10,gpu,big\n",
	          "model,node\nbig,c0\n");
	sc = load_ok(fx->dir);
	assert_int_equal(sc->n_nodes, 4);
	assert_string_equal(sc->node_name[2], "e0");
	assert_true(sc->node_budget[0] == 100);
	assert_true(sc->node_budget[2] == 200);
	assert_string_equal(sc->hw_name[sc->node_hw[2]], "gpu");
	assert_string_equal(sc->model_name[0], "small");
	assert_true(sc->model_size[0] == 50);
	assert_true(sc->model_acc[0] == 0.70);
	assert_true(scenario_latency(sc, 1, 0) == 80);     /* big on cpu */
	assert_true(scenario_capacity(sc, 1, 0) == 2);
	assert_true(scenario_latency(sc, 0, 2) == 5);      /* small on gpu */
	assert_true(adj_delay(sc, 0, 2) == 5);
	assert_true(adj_delay(sc, 1, 2) == 3);
	assert_true(scenario_pinned(sc, 3, 1));
	assert_false(scenario_pinned(sc, 3, 0));
	scenario_free(sc);
}

/* Parallel links: the smallest delay counts, whatever the order and
 * direction, and each neighbour is listed once. */
static void test_parallel_links(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc;

	write_all(fx->dir, NULL,
	          "a,b,delay_ms\na0,e0,5\ne0,a0,2\na0,e0,7\n"
	          "a1,e0,3\ne0,c0,20\nc0,e0,40\n"
	          "t0,r0,1\nr0,c0,2\n", NULL, NULL, NULL);
	sc = load_ok(fx->dir);
	assert_true(adj_delay(sc, 0, 2) == 2);
	assert_true(adj_delay(sc, 2, 0) == 2);
	assert_true(adj_delay(sc, 2, 3) == 20);
	assert_true(adj_delay(sc, 3, 2) == 20);
	assert_true(adj_delay(sc, 1, 2) == 3);
	assert_int_equal(degree(sc, 0), 1);     /* a0: e0 */
	assert_int_equal(degree(sc, 2), 3);     /* e0: a0 a1 c0 */
	assert_int_equal(degree(sc, 3), 2);     /* c0: e0 r0 */
	assert_int_equal(sc->adj_off[sc->n_nodes], 10);  /* 5 distinct x 2 */
	scenario_free(sc);
}

static void test_empty_hardware(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc = load_ok(fx->dir);
	uint32_t r0 = node_index(sc, "r0");

	assert_int_equal(sc->node_hw[r0], 0);
	assert_string_equal(sc->hw_name[sc->node_hw[r0]], "");
	for (uint32_t m = 0; m < sc->n_models; m++)
		assert_false(scenario_runnable(sc, m, r0));
	/* the router still relays: it is linked to t0 and c0 */
	assert_true(adj_delay(sc, r0, node_index(sc, "t0")) == 1);
	assert_true(adj_delay(sc, r0, node_index(sc, "c0")) == 2);
	scenario_free(sc);
}

static void test_capacity_inf(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc;

	write_all(fx->dir, NULL, NULL, NULL,
	          "model,hardware,latency_ms,capacity_rps\n"
	          "small,cpu,20,inf\nsmall,gpu,5,INF\nbig,cpu,80,Inf\n"
	          "big,gpu,10,25\nsmall,tpu,1,0.5\n", NULL);
	sc = load_ok(fx->dir);
	assert_true(isinf(scenario_capacity(sc, 0, 0)));
	assert_true(scenario_capacity(sc, 0, 0) > 0);
	assert_true(isinf(scenario_capacity(sc, 0, 2)));
	assert_true(isinf(scenario_capacity(sc, 1, 0)));
	assert_true(scenario_capacity(sc, 1, 2) == 25);
	assert_true(scenario_capacity(sc, 0, 4) == 0.5);
	scenario_free(sc);
}

/* Boundaries the spec allows: budget 0, latency 0, delay 0, accuracy 0
 * and 1, quoted fields. */
static void test_boundaries(void **state)
{
	struct fixture *fx = *state;
	struct scenario *sc;

	write_all(fx->dir, NULL,
	          "a,b,delay_ms\na0,e0,0\na1,e0,3\ne0,c0,20\nt0,r0,1\n"
	          "r0,c0,2\n",
	          "model,task,size_mb,accuracy\n\"small\",cls,0.001,0\n"
	          "big,\"cls\",200,1\n",
	          "model,hardware,latency_ms,capacity_rps\n"
	          "small,cpu,0,10\nsmall,gpu,5,100\nbig,cpu,80,2\n"
	          "big,gpu,10,25\nsmall,tpu,1,inf\n", NULL);
	sc = load_ok(fx->dir);
	assert_true(adj_delay(sc, 0, 2) == 0);
	assert_string_equal(sc->model_name[0], "small");
	assert_int_equal(sc->n_tasks, 1);
	assert_true(sc->model_size[0] == 0.001);
	assert_true(sc->model_acc[0] == 0);
	assert_true(sc->model_acc[1] == 1);
	assert_true(scenario_latency(sc, 0, 0) == 0);
	assert_true(sc->node_budget[1] == 0);
	scenario_free(sc);
}

/* ---- the group ---------------------------------------------------------- */

static const char *const COLUMNS[N_FILES][5] = {
	{ "node", "tier", "hardware", "budget_mb", NULL },
	{ "a", "b", "delay_ms", NULL },
	{ "model", "task", "size_mb", "accuracy", NULL },
	{ "model", "hardware", "latency_ms", "capacity_rps", NULL },
	{ "node", "model", NULL },
};

/* BASE text of file f with header column k renamed to "x" + name. */
static char *rename_column(size_t f, size_t k)
{
	const char *text = BASE[f].text;
	char *out = malloc(strlen(text) + 2), *p = out;
	size_t col = 0;

	if (!out)
		abort();
	if (k == 0)
		*p++ = 'x';
	for (; *text; text++) {
		*p++ = *text;
		if (*text == ',' && ++col == k)
			*p++ = 'x';
	}
	*p = '\0';
	return out;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		{ "base_scenario", test_base, setup, teardown, NULL },
		{ "crlf_and_bom", test_crlf_bom, setup, teardown, NULL },
		{ "extra_columns_ignored", test_extra_columns, setup, teardown,
		  NULL },
		{ "columns_in_any_order", test_column_order, setup, teardown,
		  NULL },
		{ "parallel_links_keep_smallest", test_parallel_links, setup,
		  teardown, NULL },
		{ "empty_hardware_runs_nothing", test_empty_hardware, setup,
		  teardown, NULL },
		{ "capacity_inf_any_case", test_capacity_inf, setup, teardown,
		  NULL },
		{ "boundaries_accepted", test_boundaries, setup, teardown,
		  NULL },
	};
	size_t n_fixed = sizeof fixed / sizeof fixed[0], n_gen = 0, n = 0;
	struct gen_case *gen = calloc(64, sizeof *gen);
	struct CMUnitTest *tests = calloc(n_fixed + N_BAD + 64, sizeof *tests);
	int rc;

	if (!gen || !tests)
		return 1;
	for (size_t f = 0; f < N_FILES; f++) {
		struct gen_case *g = &gen[n_gen++];
		snprintf(g->name, sizeof g->name, "missing_%s", BASE[f].file);
		g->file = BASE[f].file;
		snprintf(g->prefix, sizeof g->prefix, "%s: ", BASE[f].file);
		strcpy(g->word, "cannot open");

		g = &gen[n_gen++];
		snprintf(g->name, sizeof g->name, "empty_%s", BASE[f].file);
		g->file = BASE[f].file;
		g->text = strdup("");
		snprintf(g->prefix, sizeof g->prefix, "%s:1: header: ",
		         BASE[f].file);
		strcpy(g->word, "empty");

		for (size_t k = 0; COLUMNS[f][k]; k++) {
			g = &gen[n_gen++];
			snprintf(g->name, sizeof g->name, "missing_column_%s_%s",
			         BASE[f].file, COLUMNS[f][k]);
			g->file = BASE[f].file;
			g->text = rename_column(f, k);
			snprintf(g->prefix, sizeof g->prefix, "%s:1: header: ",
			         BASE[f].file);
			snprintf(g->word, sizeof g->word, "missing column '%s'",
			         COLUMNS[f][k]);
		}
	}
	for (size_t i = 0; i < n_fixed; i++)
		tests[n++] = fixed[i];
	for (size_t i = 0; i < n_gen; i++)
		tests[n++] = (struct CMUnitTest){ gen[i].name, test_generated,
		                                  setup, teardown, &gen[i] };
	for (size_t i = 0; i < N_BAD; i++)
		tests[n++] = (struct CMUnitTest){ BAD[i].name, test_bad, setup,
		                                  teardown, (void *)&BAD[i] };
	rc = _cmocka_run_group_tests("scenario", tests, n, NULL, NULL);
	for (size_t i = 0; i < n_gen; i++)
		free(gen[i].text);
	free(gen);
	free(tests);
	return rc;
}
