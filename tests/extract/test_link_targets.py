"""Links told apart from citations by what they point to and the words around them.

Platforms named on the button, promo codes, byline and host links, calls to
subscribe, breadcrumbs, social profiles, live pages and the original of a
translated article: each case stands beside prose that cites a page of the same
kind, which must stay cited.
"""

from __future__ import annotations

from archive.extract import extract


def _urls(data: str, fmt: str, base_url: str | None = None) -> set[str]:
    result = extract(data.encode(), format=fmt, base_url=base_url)
    return {c.url for c in result.citations if c.kind == "url" and c.url}


def test_platforms_are_known_by_their_names_on_any_host() -> None:
    doc = (
        "We read the [harbour survey](https://harbour.example/survey-2025.pdf) so you need not.\n\n"
        "[Apple Podcasts](https://podcasts.apple.example/tide) · "
        "[Spotify](https://spoti.example/tide) · [Pocket Casts](https://pca.example/tide) · "
        "[Overcast](https://oc.example/tide)\n"
    )
    assert _urls(doc, "markdown") == {"https://harbour.example/survey-2025.pdf"}


def test_a_platform_host_label_marks_a_listen_line_an_episode_in_prose_stays() -> None:
    doc = (
        "Dev's point comes from [an episode of Orbit Hour]"
        "(https://open.spotify.example/episode/9x) that we recommend.\n\n"
        "[Here](https://open.spotify.example/show/tide) · [There](https://pocketcasts.example/tide)\n"
    )
    assert _urls(doc, "markdown") == {"https://open.spotify.example/episode/9x"}


LISTEN_HTML = """\
<html><body><main><article>
<h1>Episode 31: dry seasons</h1>
<p>The <a href="https://fews.example/sahel/outlook-2025">famine early warning outlook</a> says
the lean season will start early this year, and the rains have failed twice in a row.</p>
<p>Listen and subscribe on <a href="https://apple.example/dry">Apple Podcasts</a>,
<a href="https://sp.example/dry">Spotify</a> or wherever you get your podcasts.</p>
<p>Follow the show on <a href="https://social.example/dryline">Mastodon</a>.</p>
<p>Hosted by <a href="https://longhaul.example/people/pieter-c">Pieter Claeys</a></p>
</article></main></body></html>
"""


def test_listen_follow_and_host_lines_without_a_colon_go() -> None:
    assert _urls(LISTEN_HTML, "html") == {"https://fews.example/sahel/outlook-2025"}


def test_byline_and_staff_page_links_go_a_staff_page_cited_in_prose_stays() -> None:
    doc = (
        "By [Ruth Amadi](https://courier.example/author/ruth-amadi)\n\n"
        "The minister's own [biography](https://gov.example/people/minister-of-health) lists "
        "no medical training, a point the opposition has raised in every debate since May.\n\n"
        "[Ruth Amadi](https://courier.example/staff/ruth-amadi) · "
        "[Kofi Mensah](https://courier.example/staff/kofi-mensah)\n"
    )
    assert _urls(doc, "markdown") == {"https://gov.example/people/minister-of-health"}


SPONSOR = """\
<html><body><main><article>
<p>The <a href="https://glaciers.example/mass-balance-2025.csv">mass balance series</a>
shows the glacier lost 1.4 metres of ice last year.</p>
<h2>This episode is supported by</h2>
<p>Fieldcraft makes boots that survive bogs. Listeners get 15% off with code
RAIN20 at <a href="https://fieldcraft.example/rain">fieldcraft.example/rain</a>.</p>
<p>Fastline Fibre: use the code NIGHT at
<a href="https://fastline.example/night">fastline.example/night</a> for three months free.</p>
<p>Try it with a free trial at <a href="https://notes.example/start">notes.example</a>.</p>
</article></main></body></html>
"""


def test_sponsor_offers_with_a_code_or_discount_go_the_data_stays() -> None:
    assert _urls(SPONSOR, "html") == {"https://glaciers.example/mass-balance-2025.csv"}


def test_a_discount_reported_in_prose_keeps_its_source() -> None:
    """A discount is news when a source reports it: no code, no offer to the reader."""
    doc = (
        "Ryanair cut fares by 20% on Irish routes, [its results statement]"
        "(https://investor.ryanair.example/results-q3-2025) says.\n"
    )
    assert _urls(doc, "markdown") == {"https://investor.ryanair.example/results-q3-2025"}


def test_calls_to_subscribe_go_wherever_they_stand_a_membership_report_stays() -> None:
    doc = (
        "The [union's membership report](https://union.example/reports/membership-2025) shows "
        "a fall of 4 per cent.\n\n"
        "Railnotes costs nothing. If someone sent it to you, "
        "[subscribe here](https://railnotes.example/subscribe). "
        "You can also [sign up](https://railnotes.example/newsletter) for the weekly digest, or "
        "[join](https://railnotes.example/join) the readers' club.\n"
    )
    assert _urls(doc, "markdown") == {"https://union.example/reports/membership-2025"}


def test_a_breadcrumb_to_deeper_sections_is_the_sites_own_menu() -> None:
    doc = (
        "[The Clyde Courier](https://ledger.example/) · [Business](https://ledger.example/business)"
        " · [Banking](https://ledger.example/business/banking)\n\n"
        "# Lending falls again\n\n"
        "Clyde Savings' [annual report](https://clydesavings.example/ar-2025.pdf) shows business "
        "lending down a fifth. [As we wrote in February](https://ledger.example/analysis/pivot), "
        "the shift to mortgages flatters returns while rates are high and will not last.\n"
    )
    assert _urls(doc, "markdown") == {
        "https://clydesavings.example/ar-2025.pdf",
        "https://ledger.example/analysis/pivot",
    }


def test_social_profiles_on_link_lines_go_a_cited_post_stays() -> None:
    doc = (
        "The festival announced the cap [in a post](https://instagram.example/p/C9xk2) on "
        "Monday, and the police confirmed it the same evening.\n\n"
        "- [Lagos Jazz Week on Instagram](https://instagram.example/lagosjazzweek)\n"
        "- [Facebook](https://www.facebook.example/lagosjazzweek)\n"
        "- [YouTube](https://youtube.example/@lagosjazzweek)\n"
    )
    assert _urls(doc, "markdown") == {"https://instagram.example/p/C9xk2"}


def test_live_pages_and_tickets_go_a_list_to_be_published_stays() -> None:
    doc = (
        "The purse is €5,000. Scores will be posted live at "
        "https://results.chess.example/2026. Tickets for the final day are available at "
        "https://tickets.chess.example/final. The full list of schemes will be available at "
        "https://gov.example/flood-schemes.\n"
    )
    assert _urls(doc, "text") == {"https://gov.example/flood-schemes"}


TRANSLATED = """\
<html><body><main><article>
<p class="note"><em>Machine translation from Polish, checked by our desk. Read the
original Polish version <a href="https://gazeta.example/miasto/budzet">on our site</a>.</em></p>
<p>The treasurer said the gap is 90 million zloty, as the
<a href="https://lodz.example/budzet-2027.pdf">draft budget</a> shows, and that the
original plan to sell the tram depot stands.</p>
<p>The <a href="https://lodz.example/plan-2019.pdf">original plan</a> from 2019 already
named the depot.</p>
<p>The original statement is <a href="https://lodz.example/oswiadczenie.pdf">here</a>.</p>
</article></main></body></html>
"""


def test_the_original_of_a_translated_article_goes_an_original_plan_stays() -> None:
    assert _urls(TRANSLATED, "html") == {
        "https://lodz.example/budzet-2027.pdf",
        "https://lodz.example/plan-2019.pdf",
        "https://lodz.example/oswiadczenie.pdf",
    }


def test_support_sites_are_known_by_their_label_on_any_domain_wherever_they_stand() -> None:
    doc = (
        "The festival's budget is in the [council minutes](https://council.example/min-0412.pdf)."
        " If you like the show, [support us](https://patreon.example/coastlines) or "
        "[buy me a coffee](https://coffee.example/ana).\n\n"
        "Sources\n\n"
        "- [Council minutes, 12 April](https://council.example/min-0412.pdf)\n"
        "- [Our Ko-fi page](https://ko-fi.example/coastlines)\n"
        "- [Patreon's own layoffs post](https://patreon.example/posts/layoffs-2026)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://council.example/min-0412.pdf",
        "https://patreon.example/posts/layoffs-2026",
    }


def test_a_story_about_patreon_linked_by_its_name_stays() -> None:
    doc = (
        "[Patreon](https://news.example/2026/patreon-fees) raised its fees in May, and "
        "creators moved to other sites.\n"
    )
    assert _urls(doc, "markdown") == {"https://news.example/2026/patreon-fees"}


ORIGINALS = """\
<html><body><main><article>
<p>The airline will double its fleet, the company said in a
<a href="https://kapadokya.example/ir/fleet-2030.pdf">filing</a> on Monday.</p>
<p>The original Turkish report of the regulator is
<a href="https://shgm.example/rapor-2026.pdf">here</a>.</p>
<p class="note">Original Turkish article: <a href="https://haber.example/tr/filo">Filo iki
katına çıkıyor</a></p>
<p class="note">This article is translated from the Japanese edition of 3 December
(<a href="https://shimpo.example/articles/kk6">original article</a>).</p>
<p>Read this story in Spanish: <a href="https://diario.example/es/flota">La flota</a></p>
<p><a href="https://diario.example/pt/frota">Versão em português</a> ·
<a href="https://diario.example/fr/flotte">Français</a></p>
</article></main></body></html>
"""


def test_the_same_article_in_its_first_language_goes_a_foreign_report_stays() -> None:
    assert _urls(ORIGINALS, "html") == {
        "https://kapadokya.example/ir/fleet-2030.pdf",
        "https://shgm.example/rapor-2026.pdf",
    }


def test_a_language_edition_in_markdown_and_plain_text_goes() -> None:
    md = (
        "Fares rise in May, the [transport authority said](https://rta.example/fares-2026).\n\n"
        "*Also in Portuguese: [Tarifas sobem em maio](https://jornal.example/pt/tarifas).*\n"
    )
    assert _urls(md, "markdown") == {"https://rta.example/fares-2026"}
    text = (
        "Fares rise in May, the transport authority said (https://rta.example/fares-2026).\n\n"
        "Read this article in Korean: https://ilbo.example/ko/fares\n"
    )
    assert _urls(text, "text") == {"https://rta.example/fares-2026"}


def test_a_furniture_label_inside_a_line_takes_the_links_that_follow_it() -> None:
    doc = (
        "I used the [INS weekly bulletin](https://ins.example/boletin-13.pdf) again.\n\n"
        "*Ana Ruiz is an epidemiologist in Cali; opinions are her own. Also on this blog: "
        "[Chikungunya ten years later](https://notes.example/2024/12/chik) · "
        "[How to read a bulletin](https://notes.example/guide).*\n\n"
        "Thanks to the readers who wrote in. More from us: "
        "[the archive](https://notes.example/archive). The method is in "
        "[my October post](https://notes.example/2024/10/delays).\n"
    )
    assert _urls(doc, "markdown") == {
        "https://ins.example/boletin-13.pdf",
        "https://notes.example/2024/10/delays",
    }


def test_a_label_word_in_a_sentence_of_prose_takes_no_link() -> None:
    doc = (
        "The council published two reports. Related: the earlier audit "
        "[found the same gap](https://audit.example/2024.pdf), and the new one agrees.\n"
    )
    assert _urls(doc, "markdown") == {"https://audit.example/2024.pdf"}
