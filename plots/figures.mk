# figures.mk - the figures of the evaluation (EXPERIMENTS.md), included by
# experiments.mk; GNU make.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every replay is one file named after its whole configuration,
#
#     $(FIG_RESULTS)/runs/SCEN.TRACE/RUN_aALPHA_sSEED.csv   (+ .summary, .placement)
#
# so the figures share runs (the alpha = 1 runs of figure 1 are points of
# figure 2) and a pattern rule decodes the name back into a command line:
#
#   SCEN   a scenario: SCEN_<SCEN> is its directory (no '.' or '_' in SCEN)
#   TRACE  a trace: TRACE_CMD_<TRACE> writes it, given --seed and -o
#          (no '.' or '_'); it is cached as $(FIG_RESULTS)/traces/TRACE_sSEED.csv.gz
#   RUN    a policy with its default options, or a variant whose policy
#          and options are RUN_POLICY_<RUN> and RUN_OPTS_<RUN> (no '_')
#   SEED   idn-replay --seed and, for the trace, idn-gen / idn-import --seed
#
# SCALE=paper runs the long versions (longer traces, ten seeds) into
# $(RESULTS)/paper and plots/paper.

SCALE ?= default
SEEDS_default = 1 2 3 4 5
SEEDS_paper = 1 2 3 4 5 6 7 8 9 10
DURATION_default = 14400
DURATION_paper = 57600
REGRET_T_default = 900 1800 3600 7200 14400 28800
REGRET_T_paper = 900 1800 3600 7200 14400 28800 57600 115200
# The names of results do not say the scale: each scale has its own
# results and figures directories, so that switching never mixes them.
FIG_RESULTS_default = $(RESULTS)
FIG_RESULTS_paper = $(RESULTS)/paper
FIG_PLOTS_default = plots
FIG_PLOTS_paper = plots/paper
FIG_RESULTS = $(FIG_RESULTS_$(SCALE))
FIG_PLOTS = $(FIG_PLOTS_$(SCALE))
EXP_SEEDS = $(SEEDS_$(SCALE))
EXP_DURATION = $(DURATION_$(SCALE))
REGRET_T = $(REGRET_T_$(SCALE))
EXP_SLOT = 10
EXP_SLOTS = $(shell expr $(EXP_DURATION) / $(EXP_SLOT))

IDN_IMPORT = $(top_builddir)/src/tools/idn-import
IDN_SCENARIO = $(top_builddir)/src/tools/idn-scenario
IDN_SUMMARY = $(top_builddir)/src/tools/idn-summary
EXP_AWK = $(AWK) -F, -f $(top_srcdir)/plots/stats.awk -f $(top_srcdir)/plots
PLOT_DEPS = $(top_srcdir)/plots/common.gp

# --- scenarios ----------------------------------------------------------------
SCEN_tree = $(top_srcdir)/traces/tree-small
SCEN_geant = $(top_srcdir)/traces/geant
# tree-small with every budget times S (figure 2): treeBS, S with p for '.'
BUDGET_SCALES = 0.25 0.5 1 2 4
budget_id = tree-b$(subst .,p,$(1))
$(foreach s,$(BUDGET_SCALES),$(eval SCEN_$(call budget_id,$(s)) = \
	$(FIG_RESULTS)/scenarios/$(call budget_id,$(s))))
scen_files = $(if $(filter $(FIG_RESULTS)/%,$(SCEN_$(1))),$(SCEN_$(1))/nodes.csv,\
	$(wildcard $(SCEN_$(1))/*.csv))

$(FIG_RESULTS)/scenarios/tree-b%/nodes.csv: $(IDN_SCENARIO)
	@rm -rf $(@D) && $(MKDIR_P) $(dir $(@D))
	$(AM_V_GEN)$(IDN_SCENARIO) tree --catalog $(top_srcdir)/traces/catalog \
		--budgets $$(echo $* | tr p . | \
		$(AWK) '{ printf "%g,%g,%g", 16 * $$1, 30 * $$1, 250 * $$1 }') \
		-o $(@D)

# --- traces -------------------------------------------------------------------
GEN_TREE = $(IDN_GEN) --scenario $(SCEN_tree) --tasks-zipf 0.8
GEN_GEANT = $(IDN_GEN) --scenario $(SCEN_geant) --tasks-zipf 0.8
# sliding popularity: the ranking of the tasks rolls one place every 10 min
SLIDING = --mode sliding --period 600
TRACE_CMD_tstat = $(GEN_TREE) --rate 5 --duration $(EXP_DURATION)
TRACE_CMD_tslide = $(TRACE_CMD_tstat) $(SLIDING)
TRACE_CMD_gstat = $(GEN_GEANT) --rate 1 --duration $(EXP_DURATION)
TRACE_CMD_gslide = $(TRACE_CMD_gstat) $(SLIDING)
# figure 7: traces of growing length T (rstat-T, rslide-T)
$(foreach T,$(REGRET_T),\
	$(eval TRACE_CMD_rstat-$(T) = $(GEN_TREE) --rate 2 --duration $(T))\
	$(eval TRACE_CMD_rslide-$(T) = $(TRACE_CMD_rstat-$(T)) $(SLIDING)))
# figure 8: real traces; Alibaba's 23 days are compressed into about an hour
REAL = $(top_srcdir)/traces/real
TRACE_CMD_alibaba = $(IDN_IMPORT) alibaba-genai \
	$(REAL)/alibaba_genai_lora_request_trace.csv.gz --time-scale 0.002 \
	--scenario $(SCEN_tree)
TRACE_CMD_azconv = $(IDN_IMPORT) azure-llm \
	$(REAL)/AzureLLMInferenceTrace_conv.csv --scenario $(SCEN_tree)
TRACE_CMD_azcode = $(IDN_IMPORT) azure-llm \
	$(REAL)/AzureLLMInferenceTrace_code.csv --scenario $(SCEN_tree)
# a trace depends on the tool and files its command names
trace_deps = $(filter $(IDN_GEN) $(IDN_IMPORT) $(REAL)/%,$(TRACE_CMD_$(1))) \
	$(call scen_files,tree) $(call scen_files,geant)

# name decoding: TRACE_sSEED
trace_id = $(word 1,$(subst _, ,$(1)))
trace_seed = $(patsubst s%,%,$(word 2,$(subst _, ,$(1))))

$(FIG_RESULTS)/traces/%.csv.gz: $$(call trace_deps,$$(call trace_id,$$*))
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(TRACE_CMD_$(call trace_id,$*)) \
		--seed $(call trace_seed,$*) -o $@

# --- replays ------------------------------------------------------------------
# policy variants (RUN_POLICY_x, RUN_OPTS_x; run_policy is experiments.mk's)
ETAS = 0.001 0.01 0.1 1 10
$(foreach e,$(ETAS),$(eval RUN_POLICY_infida-eta$(e) = infida)\
	$(eval RUN_OPTS_infida-eta$(e) = -O eta=$(e)))
# (eval: automake allows no '-' in the names of variables it reads)
$(eval RUN_POLICY_infida-etaauto = infida)
$(eval RUN_OPTS_infida-etaauto = -O eta=auto -O horizon=$(EXP_SLOTS))
REFRESHES = 1 2 5 10 20
$(foreach r,$(REFRESHES),\
	$(eval RUN_POLICY_infida-r$(r)-depround = infida)\
	$(eval RUN_OPTS_infida-r$(r)-depround = -O refresh=$(r))\
	$(eval RUN_POLICY_infida-r$(r)-coupled = infida)\
	$(eval RUN_OPTS_infida-r$(r)-coupled = -O refresh=$(r) -O rounding=coupled))

# name decoding: SCEN.TRACE/RUN_aALPHA_sSEED
run_set = $(patsubst %/,%,$(dir $(1)))
run_scen = $(word 1,$(subst ., ,$(call run_set,$(1))))
run_trace = $(word 2,$(subst ., ,$(call run_set,$(1))))
run_word = $(patsubst $(2)%,%,$(word $(3),$(subst _, ,$(notdir $(1)))))
run_name = $(call run_word,$(1),,1)
run_alpha = $(call run_word,$(1),a,2)
run_seed = $(call run_word,$(1),s,3)

$(FIG_RESULTS)/runs/%.csv: \
		$(FIG_RESULTS)/traces/$$(call run_trace,$$*)_s$$(call run_seed,$$*).csv.gz \
		$$(call scen_files,$$(call run_scen,$$*)) $(IDN_REPLAY) \
		policies/$$(call run_policy,$$(call run_name,$$*)).la
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(EXP_ENV) $(IDN_REPLAY) \
		--scenario $(SCEN_$(call run_scen,$*)) \
		--policy $(call run_policy,$(call run_name,$*)) \
		$(RUN_OPTS_$(call run_name,$*)) --slot $(EXP_SLOT) \
		--alpha $(call run_alpha,$*) --seed $(call run_seed,$*) \
		--summary $(@:.csv=.summary) --placement $(@:.csv=.placement) \
		-o $@ $<

# the runs, traces and curves are intermediate files of pattern rules:
# keep them (make would delete them after use)
.PRECIOUS: $(FIG_RESULTS)/runs/%.csv $(FIG_RESULTS)/traces/%.csv.gz \
	$(FIG_RESULTS)/scenarios/tree-b%/nodes.csv $(FIG_RESULTS)/curves/%.csv

# runs SETS,RUNS,ALPHAS: the per-slot files of every combination and seed
runs = $(foreach set,$(1),$(foreach r,$(2),$(foreach a,$(3),\
	$(foreach s,$(EXP_SEEDS),$(FIG_RESULTS)/runs/$(set)/$(r)_a$(a)_s$(s).csv))))

# Cumulative NTAG over time across seeds (cumci.awk): SET/RUN_aALPHA.ntag
# for the integral gain, .frac for INFIDA's fractional gain.
seed_runs = $(foreach s,$(EXP_SEEDS),$(FIG_RESULTS)/runs/$(1)_s$(s).csv)
$(FIG_RESULTS)/curves/%.ntag.csv: $$(call seed_runs,$$*) \
		$(top_srcdir)/plots/cumci.awk $(top_srcdir)/plots/stats.awk
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(EXP_AWK)/cumci.awk -v num=gain $(filter %.csv,$^) > $@.tmp \
		&& mv $@.tmp $@
$(FIG_RESULTS)/curves/%.frac.csv: $$(call seed_runs,$$*) \
		$(top_srcdir)/plots/cumci.awk $(top_srcdir)/plots/stats.awk
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(EXP_AWK)/cumci.awk -v num=fractional_gain \
		$(filter %.csv,$^) > $@.tmp && mv $@.tmp $@
# curves SETS,RUNS,KIND: the curve files (alpha 1)
curves = $(foreach set,$(1),$(foreach r,$(2),\
	$(FIG_RESULTS)/curves/$(set)/$(r)_a1.$(3).csv))

# idn-summary (mean and 95% CI per configuration) over the runs listed
# in SUMMARY_RUNS_<NAME>
$(FIG_RESULTS)/summaries/%.csv: $$(SUMMARY_RUNS_$$*) $(IDN_SUMMARY)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(IDN_SUMMARY) -o $@ \
		$(patsubst %.csv,%.summary,$(SUMMARY_RUNS_$*))

# gnuplot FIGURE VARIABLES: draw plots/FIGURE.gp into $(FIG_PLOTS)/FIGURE.png/.pdf
gnuplot_fig = $(MKDIR_P) $(FIG_PLOTS) && $(GNUPLOT_RUN) -e "out='$(FIG_PLOTS)/$(1)'; \
	dir='$(FIG_RESULTS)'; slot=$(EXP_SLOT); $(2)" $(top_srcdir)/plots/$(1).gp

# --- figure 1: NTAG over time -------------------------------------------------
POLICIES = infida greedy lru lfu static offline
F1_SETS = tree.tstat tree.tslide geant.gstat geant.gslide
$(FIG_PLOTS)/fig1_ntag_time.png: $(call curves,$(F1_SETS),$(POLICIES),ntag) \
		$(top_srcdir)/plots/fig1_ntag_time.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig1_ntag_time,policies='$(POLICIES)')

# --- figure 2: NTAG against alpha and against the budgets ---------------------
F2_POLICIES = infida greedy lru lfu offline
ALPHAS = 0.1 0.3 1 3 10
SUMMARY_RUNS_fig2alpha = $(call runs,tree.tstat,$(F2_POLICIES),$(ALPHAS))
# one idn-summary per policy and budget scale, with the scale as first
# column (rows of a policy consecutive, for gnuplot's lines)
$(FIG_RESULTS)/fig2/budget.csv: $(foreach s,$(BUDGET_SCALES),\
		$(call runs,$(call budget_id,$(s)).tstat,$(F2_POLICIES),1)) \
		$(IDN_SUMMARY)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)for p in $(F2_POLICIES); do for s in $(BUDGET_SCALES); do \
		id=tree-b$$(echo $$s | tr . p); \
		$(IDN_SUMMARY) $(FIG_RESULTS)/runs/$$id.tstat/$${p}_a1_s*.summary | \
		sed "1s/^/scale,/; 1!s/^/$$s,/"; \
	done; done | $(AWK) 'NR == 1 || !/^scale,/' > $@.tmp && mv $@.tmp $@
$(FIG_PLOTS)/fig2_alpha_budget.png: $(FIG_RESULTS)/summaries/fig2alpha.csv \
		$(FIG_RESULTS)/fig2/budget.csv \
		$(top_srcdir)/plots/fig2_alpha_budget.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig2_alpha_budget,policies='$(F2_POLICIES)')

# --- figure 3: where the models go, as alpha varies ---------------------------
F3_POLICIES = infida offline
F3_TIERS = access edge regional
$(FIG_RESULTS)/fig3/placement.csv: $(call runs,tree.tstat,$(F3_POLICIES),$(ALPHAS)) \
		$(top_srcdir)/plots/placement.awk $(top_srcdir)/plots/stats.awk
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(EXP_AWK)/placement.awk -v policies='$(F3_POLICIES)' \
		-v tiers='$(F3_TIERS)' -v alphas='$(ALPHAS)' \
		$(patsubst %.csv,%.placement,$(filter %.csv,$^)) > $@.tmp && \
		mv $@.tmp $@
$(FIG_PLOTS)/fig3_placement.png: $(FIG_RESULTS)/fig3/placement.csv \
		$(top_srcdir)/plots/fig3_placement.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig3_placement,\
		policies='$(F3_POLICIES)'; tiers='$(F3_TIERS)')

# --- figure 4: latency, accuracy and serving tier per policy ------------------
F4_SETS = tree.tstat geant.gstat
F4_POLICIES = infida greedy lru lfu offline static
F4_TIERS = access edge regional cloud
SUMMARY_RUNS_fig4 = $(call runs,$(F4_SETS),$(F4_POLICIES),1)
$(FIG_RESULTS)/fig4/tiers.csv: $(call runs,$(F4_SETS),$(F4_POLICIES),1) \
		$(top_srcdir)/plots/tiers.awk $(top_srcdir)/plots/stats.awk
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(EXP_AWK)/tiers.awk -v sets='$(F4_SETS)' \
		-v policies='$(F4_POLICIES)' -v tiers='$(F4_TIERS)' \
		$(filter %.csv,$^) > $@.tmp && mv $@.tmp $@
$(FIG_PLOTS)/fig4_latency_accuracy.png: $(FIG_RESULTS)/summaries/fig4.csv \
		$(FIG_RESULTS)/fig4/tiers.csv \
		$(top_srcdir)/plots/fig4_latency_accuracy.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig4_latency_accuracy,\
		sets='$(F4_SETS)'; policies='$(F4_POLICIES)'; tiers='$(F4_TIERS)')

# --- figure 5: update cost against the refresh period -------------------------
F5_SETS = tree.tstat tree.tslide geant.gstat
# (each rounding's runs together, so that its rows of summary.csv are
# consecutive and gnuplot draws them as one line)
F5_RUNS = $(foreach k,depround coupled,$(REFRESHES:%=infida-r%-$(k)))
SUMMARY_RUNS_fig5 = $(call runs,$(F5_SETS),$(F5_RUNS),1)
$(FIG_PLOTS)/fig5_refresh.png: $(FIG_RESULTS)/summaries/fig5.csv \
		$(top_srcdir)/plots/fig5_refresh.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig5_refresh,\
		slots=$(EXP_SLOTS); sets='$(F5_SETS)')

# --- figure 6: INFIDA fractional against integral, and the step size --------
F6_ETA_SETS = tree.tstat tree.tslide geant.gstat
F6_RUNS = infida infida-etaauto $(ETAS:%=infida-eta%)
$(FIG_PLOTS)/fig6_fractional.png: $(call curves,$(F1_SETS),infida,frac) \
		$(call curves,$(F1_SETS),infida offline,ntag) \
		$(top_srcdir)/plots/fig6_fractional.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig6_fractional,)
SUMMARY_RUNS_fig6eta = $(call runs,$(F6_ETA_SETS),$(F6_RUNS),1)
$(FIG_PLOTS)/fig6_eta.png: $(FIG_RESULTS)/summaries/fig6eta.csv \
		$(top_srcdir)/plots/fig6_eta.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig6_eta,sets='$(F6_ETA_SETS)')

# --- figure 7: regret as T grows ----------------------------------------------
F7_MODES = rstat rslide
$(FIG_RESULTS)/fig7/regret.csv: \
		$(foreach m,$(F7_MODES),$(foreach T,$(REGRET_T),\
		$(call runs,tree.$(m)-$(T),infida offline,1))) \
		$(top_srcdir)/plots/regret.awk $(top_srcdir)/plots/stats.awk
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(EXP_AWK)/regret.awk -v modes='$(F7_MODES)' \
		-v Ts='$(REGRET_T)' -v slot=$(EXP_SLOT) \
		$(foreach f,$(filter %.csv,$^),$(if $(findstring /infida_,$(f)),\
		$(f:.csv=.summary),$(f))) > $@.tmp && mv $@.tmp $@
$(FIG_PLOTS)/fig7_regret.png: $(FIG_RESULTS)/fig7/regret.csv \
		$(top_srcdir)/plots/fig7_regret.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig7_regret,)

# --- figure 8: real traces ----------------------------------------------------
F8_SETS = tree.alibaba tree.azconv tree.azcode
$(FIG_PLOTS)/fig8_real.png: $(call curves,$(F8_SETS),$(POLICIES),ntag) \
		$(top_srcdir)/plots/fig8_real.gp $(PLOT_DEPS)
	$(AM_V_GEN)$(call gnuplot_fig,fig8_real,policies='$(POLICIES)')

# Every replay named in an explicit rule: make treats a file that only
# pattern rules mention as intermediate, and would not make a missing one
# (a run added to a figure) while the file that needs it is up to date.
# `make figure-runs` makes them all.
figure-runs: $(sort $(call runs,$(F1_SETS) $(F8_SETS),$(POLICIES),1) \
	$(foreach f,fig2alpha fig4 fig5 fig6eta,$(SUMMARY_RUNS_$(f))))
.PHONY: figure-runs

FIGURES = fig1_ntag_time fig2_alpha_budget fig3_placement \
	fig4_latency_accuracy fig5_refresh fig6_fractional fig6_eta \
	fig7_regret fig8_real
PLOTS += $(FIGURES:%=$(FIG_PLOTS)/%.png)
