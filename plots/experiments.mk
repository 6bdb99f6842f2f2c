# experiments.mk - the experiments behind `make plots` (included by
# Makefile.am; GNU make).  Results are cached under results/ and rebuilt
# only when a tool, a policy, the scenario or these rules change; `make
# -j2 plots` runs independent replays in parallel.
# SPDX-License-Identifier: GPL-3.0-or-later

IDN_GEN = $(top_builddir)/src/tools/idn-gen
IDN_REPLAY = $(top_builddir)/src/tools/idn-replay
EXP_ENV = IDN_POLICY_PATH='$(abs_top_builddir)/policies/.libs'
GNUPLOT_RUN = $(GNUPLOT) -e "srcdir='$(top_srcdir)/plots'"

# --- default experiment: tree-small, stationary Zipf, every policy ---------
# RESULTS: where results go (tests/determinism.sh runs the rules twice
# into two directories of its own)
RESULTS ?= results
DEF_DIR = $(RESULTS)/default
DEF_SCENARIO = $(top_srcdir)/traces/tree-small
# runs: a policy with its default options, or NAME_variant with the policy
# and options given by RUN_POLICY_<run> and RUN_OPTS_<run>
DEF_POLICIES = static lru lfu greedy infida infida_coupled
RUN_POLICY_infida_coupled = infida
RUN_OPTS_infida_coupled = -O rounding=coupled
run_policy = $(or $(RUN_POLICY_$(1)),$(1))
DEF_SLOT = 10
DEF_GEN_ARGS = --rate 5 --duration 7200 --tasks-zipf 0.8 --seed 1
DEF_SCENARIO_FILES = $(wildcard $(DEF_SCENARIO)/*.csv)

$(DEF_DIR)/trace.csv.gz: $(IDN_GEN) $(DEF_SCENARIO_FILES)
	@$(MKDIR_P) $(DEF_DIR)
	$(AM_V_GEN)$(IDN_GEN) --scenario $(DEF_SCENARIO) $(DEF_GEN_ARGS) -o $@

.SECONDEXPANSION:
$(DEF_DIR)/%.csv: $(DEF_DIR)/trace.csv.gz $(IDN_REPLAY) \
		policies/$$(call run_policy,$$*).la
	$(AM_V_GEN)$(EXP_ENV) $(IDN_REPLAY) --scenario $(DEF_SCENARIO) \
		--policy $(call run_policy,$*) $(RUN_OPTS_$*) \
		--slot $(DEF_SLOT) --seed 1 \
		--summary $(DEF_DIR)/$*.summary -o $@ $<

$(DEF_DIR)/summary.csv: $(DEF_POLICIES:%=$(DEF_DIR)/%.csv)
	$(AM_V_GEN)head -n 1 $(DEF_DIR)/static.summary > $@.tmp && \
	for p in $(DEF_POLICIES); do tail -n +2 $(DEF_DIR)/$$p.summary; \
	done >> $@.tmp && mv $@.tmp $@

plots/ntag_time.png: $(DEF_POLICIES:%=$(DEF_DIR)/%.csv) \
		$(top_srcdir)/plots/ntag_time.gp $(top_srcdir)/plots/common.gp
	@$(MKDIR_P) plots
	$(AM_V_GEN)$(GNUPLOT_RUN) -e "dir='$(DEF_DIR)'; \
		policies='$(DEF_POLICIES)'; slot=$(DEF_SLOT); \
		out='plots/ntag_time'" $(top_srcdir)/plots/ntag_time.gp

plots/summary.png: $(DEF_DIR)/summary.csv \
		$(top_srcdir)/plots/summary.gp $(top_srcdir)/plots/common.gp
	@$(MKDIR_P) plots
	$(AM_V_GEN)$(GNUPLOT_RUN) -e "file='$(DEF_DIR)/summary.csv'; \
		out='plots/summary'" $(top_srcdir)/plots/summary.gp

PLOTS = plots/ntag_time.png plots/summary.png

include $(top_srcdir)/plots/figures.mk

plots: $(PLOTS)
	@echo "figures: $(PLOTS) (and .pdf)"; cat $(DEF_DIR)/summary.csv

.PHONY: plots
