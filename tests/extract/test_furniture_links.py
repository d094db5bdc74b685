"""Links in page furniture are not citations; links in prose are, wherever they point.

Each document below holds the furniture of one kind of page (navigation,
blogroll, listen and support lines, related boxes, press images, boilerplate)
beside prose that cites the same site or platform, which must stay cited.
"""

from __future__ import annotations

from archive.extract import extract


def _urls(data: str, fmt: str, base_url: str | None = None) -> set[str]:
    result = extract(data.encode(), format=fmt, base_url=base_url)
    return {c.url for c in result.citations if c.kind == "url" and c.url}


NEWS_SITE = """\
[Home](https://harwick-courier.example) · [News](https://harwick-courier.example/news) · \
[Housing](https://harwick-courier.example/housing) · [Analysis](https://harwick-courier.example/analysis)

# Rent cap: what the first year shows

Rents on capped flats rose 2.1% in the year to March, against 6.4% on uncapped ones, according \
to the [council's rent register](https://harwick.gov.example/rent-register-2025.csv). As we \
reported in [March](https://harwick-courier.example/2025/03/rent-cap-vote), the cap covers \
flats let before 2020, and landlords have since asked for exemptions.

**More on this:** [Who owns Harwick's flats](https://harwick-courier.example/2025/01/owners) · \
[Podcast: the cap explained](https://harwick-courier.example/podcast/ep-31)

## Read next

- [Council tax rises again](https://harwick-courier.example/2025/04/council-tax)
- [Bus fares frozen](https://harwick-courier.example/2025/04/bus-fares)
"""


def test_site_navigation_and_related_links_go_prose_self_citation_stays() -> None:
    assert _urls(NEWS_SITE, "markdown") == {
        "https://harwick.gov.example/rent-register-2025.csv",
        "https://harwick-courier.example/2025/03/rent-cap-vote",
    }


BLOG = """\
# Notes from Milton Street

[Home](https://miltonstreet.example/) | [About](https://miltonstreet.example/about) | \
[Archive](https://miltonstreet.example/archive) | [Shop](https://miltonstreet.example/shop)

I put a diffusion tube on the school railings in January. The council's own monitoring \
([2024 annual status report](https://northvale.gov.example/air/asr-2024.pdf)) puts the street \
at 31 µg/m³; my tube read 38. My \
[post on the first month](https://miltonstreet.example/2025/02/tube-one) has the method, \
and the [raw readings](https://miltonstreet.example/files/no2-2025.csv) are online.

Tags: [air quality](https://miltonstreet.example/tag/air-quality) · [schools](https://miltonstreet.example/tag/schools)

← Previous post: [Egg prices in a cold winter](https://miltonstreet.example/2025/01/eggs)

## Blogs I read

- [Clean Air Kate](https://cleanairkate.example/)
- [The Kerbside](https://thekerbside.example)
- [Street Data Diary](https://streetdata.example/)
"""


def test_blog_header_footer_tags_and_blogroll_go_prose_links_stay() -> None:
    assert _urls(BLOG, "markdown") == {
        "https://northvale.gov.example/air/asr-2024.pdf",
        "https://miltonstreet.example/2025/02/tube-one",
        "https://miltonstreet.example/files/no2-2025.csv",
    }


def test_previous_post_line_goes_without_any_navigation_to_learn_the_site_from() -> None:
    doc = (
        "The allotment list has 212 names on it, the [council's figures]"
        "(https://council.example/allotments.pdf) show.\n\n"
        "Previous post: [Seed swaps](https://plotnotes.example/2025/02/seed-swaps)\n"
    )
    assert _urls(doc, "markdown") == {"https://council.example/allotments.pdf"}


def test_blogroll_without_a_heading_is_a_run_of_home_pages() -> None:
    doc = (
        "I compared prices with the [ONS series](https://www.ons.gov.uk/economy/inflation/cpi).\n\n"
        "- [Egg Watch](https://eggwatch.example/)\n"
        "- [Hen House Notes](https://henhouse.example)\n"
    )
    assert _urls(doc, "markdown") == {"https://www.ons.gov.uk/economy/inflation/cpi"}


def test_one_official_site_in_a_sources_list_stays() -> None:
    doc = (
        "The market opened in 1994.\n\n## Sources\n\n"
        "- [Official website of the market](https://mercado.example/)\n"
        "- [Friends of the market](https://friends-mercado.example/)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://mercado.example/",
        "https://friends-mercado.example/",
    }


SHOW_NOTES = """\
# Episode 88: the rapid test that wasn't

Dr Lena Osei joins us to talk about lateral flow accuracy. The [Cochrane review]\
(https://www.cochranelibrary.example/cd013705) she mentions pooled 155 studies; \
in [episode 12](https://open.spotify.com/episode/4abc) we heard the manufacturers' side.

Listen on [Spotify](https://open.spotify.com/show/7xyz) · \
[Apple Podcasts](https://podcasts.apple.com/gb/podcast/rapid-open/id1500) · \
[Pocket Casts](https://pca.st/rapidopen) · [RSS](https://rapidopen.example/feed.xml)

Support the show on [Patreon](https://www.patreon.com/rapidopen) — it keeps us ad-free.
"""


def test_listen_and_support_lines_go_an_episode_cited_in_prose_stays() -> None:
    assert _urls(SHOW_NOTES, "markdown") == {
        "https://www.cochranelibrary.example/cd013705",
        "https://open.spotify.com/episode/4abc",
    }


def test_listen_links_under_a_heading_go() -> None:
    doc = (
        "We read the [ferry timetable](https://ferries.example/timetable-2025.pdf).\n\n"
        "## Where to listen\n\n"
        "- [Apple Podcasts](https://podcasts.apple.com/podcast/id99)\n"
        "- [Overcast](https://overcast.fm/itunes99)\n"
    )
    assert _urls(doc, "markdown") == {"https://ferries.example/timetable-2025.pdf"}


SHOW_NOTES_HTML = """\
<html><head><title>Rapid Open 88</title></head><body>
<nav><a href="https://rapidopen.example/">Home</a></nav>
<main><article>
<h1>Episode 88: the rapid test that wasn't</h1>
<p>Dr Lena Osei joins us to talk about lateral flow accuracy. The
<a href="https://www.cochranelibrary.example/cd013705">Cochrane review</a> she mentions pooled
155 studies of home tests, and the regulator's
<a href="https://regulator.example/guidance/lft-2024">2024 guidance</a> followed it closely.
Osei said the review changed how her clinic reads a negative result in the first days of
symptoms, and that the question now is what a second test on day three adds.</p>
<p>Listen on <a href="https://open.spotify.com/show/7xyz">Spotify</a> ·
<a href="https://podcasts.apple.com/gb/podcast/rapid-open/id1500">Apple Podcasts</a> ·
<a href="https://rapidopen.example/feed.xml">RSS</a></p>
<p>This show is made possible by listeners like you.
<a href="https://ko-fi.com/rapidopen">Chip in here</a>.</p>
</article></main></body></html>
"""


def test_html_show_notes_lose_listen_and_support_links() -> None:
    assert _urls(SHOW_NOTES_HTML, "html") == {
        "https://www.cochranelibrary.example/cd013705",
        "https://regulator.example/guidance/lft-2024",
    }


PRESS_RELEASE = """\
# Harbour museum reopens after two-year refit

The Harbour Museum reopens on 4 May. The refit was paid for by the city and a grant from the \
heritage fund, whose [award notice](https://heritagefund.example/awards/2023/harbour-museum) \
lists the sum. The full visitor survey is at https://harbourmuseum.example/reports/survey-2024.pdf.

Press images: [download the media kit](https://harbourmuseum.example/press/images.zip)

## About the Harbour Museum

The Harbour Museum has told the story of the port since 1921. For more information, visit \
https://harbourmuseum.example.
"""


def test_press_images_and_boilerplate_home_page_go_the_report_stays() -> None:
    assert _urls(PRESS_RELEASE, "markdown") == {
        "https://heritagefund.example/awards/2023/harbour-museum",
        "https://harbourmuseum.example/reports/survey-2024.pdf",
    }


PLAIN_TEXT = """\
The landslide closed the highway for nine days, according to the roads department's \
notice (https://roads.gov.example/notices/2025-117).

Listen: https://open.spotify.com/show/abc https://podcasts.apple.com/podcast/id42

Blogs I read:
https://hillroads.example
https://monsoonwatch.example/

Sources
https://roads.gov.example/notices/2025-117
https://rainfall.example/data/2025-07.csv
"""


def test_plain_text_listen_line_and_blogroll_go_sources_stay() -> None:
    assert _urls(PLAIN_TEXT, "text") == {
        "https://roads.gov.example/notices/2025-117",
        "https://rainfall.example/data/2025-07.csv",
    }


def test_the_site_a_document_came_from_is_its_own() -> None:
    doc = (
        "Rents rose, the [register](https://register.example/2025.csv) shows.\n\n"
        "[Harwick Courier](https://courier.example/) — [Contact](https://courier.example/contact)\n"
    )
    fetched_from = "https://courier.example/2025/05/rents"
    assert _urls(doc, "markdown", base_url=fetched_from) == {"https://register.example/2025.csv"}


def test_link_line_to_other_sites_is_not_navigation() -> None:
    """One source per line, each on its own site: a list of citations, not a menu."""
    doc = (
        "Prices rose in every region.\n\n"
        "- [Eurostat, HICP March 2025](https://ec.europa.example/eurostat/hicp-2025-03)\n"
        "- [ONS, CPI March 2025](https://www.ons.gov.uk/economy/cpi/march2025)\n"
        "Data: [ECB](https://ecb.example/stats/hicp) · [BIS](https://bis.example/stats/cpi)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://ec.europa.example/eurostat/hicp-2025-03",
        "https://www.ons.gov.uk/economy/cpi/march2025",
        "https://ecb.example/stats/hicp",
        "https://bis.example/stats/cpi",
    }


def test_dois_on_a_link_line_are_never_furniture() -> None:
    doc = (
        "## Related\n\n"
        "- [Our 2023 paper](https://doi.org/10.5555/abc.2023.1)\n"
        "- [Another view](https://blog.example/other-view)\n"
    )
    result = extract(doc.encode(), format="markdown")
    assert [(c.kind, c.doi) for c in result.citations if c.kind != "named"] == [
        ("doi", "10.5555/abc.2023.1")
    ]


ANALYSIS_HTML = """\
<html><head><title>Winter power bills</title>
<link rel="canonical" href="https://www.gridwatch-news.example/analysis/winter-bills"></head>
<body><main><article>
<h1>Why winter power bills rose twice as fast as wholesale prices</h1>
<p>Household bills rose 14% over the winter while wholesale power rose 7%, according to the
<a href="https://regulator.example/reports/retail-margins-2025.pdf">regulator's margin report</a>.
We first looked at the gap <a href="https://www.gridwatch-news.example/analysis/autumn-margins">in
October</a>, when suppliers blamed hedging costs; the regulator's figures now put most of the
difference down to network charges, which rose by a third after the last price review.</p>
<p><a href="https://www.gridwatch-news.example/analysis/summer-bills">← Previous analysis</a></p>
<h2>More on this</h2>
<p><a href="https://www.gridwatch-news.example/analysis/network-charges">Network charges,
explained</a>: what the grid costs each household</p>
<p><a href="https://www.gridwatch-news.example/podcast/ep-12">Podcast: who pays for the grid?</a>
with two former regulators</p>
</article></main></body></html>
"""


def test_html_related_heading_and_own_site_link_line_go_prose_self_citation_stays() -> None:
    assert _urls(ANALYSIS_HTML, "html") == {
        "https://regulator.example/reports/retail-margins-2025.pdf",
        "https://www.gridwatch-news.example/analysis/autumn-margins",
    }


def test_menu_as_a_list_with_the_home_page_is_navigation() -> None:
    doc = (
        "- [Home](https://harwick-courier.example/)\n"
        "- [News](https://harwick-courier.example/news)\n"
        "- [Housing](https://harwick-courier.example/housing)\n\n"
        "# Rent cap\n\n"
        "Rents rose 2.1%, the [register](https://harwick.gov.example/register.csv) shows, and as "
        "we [reported in March](https://harwick-courier.example/2025/03/rent-cap) the cap is "
        "narrow.\n\n"
        "[Who owns Harwick's flats](https://harwick-courier.example/2025/01/owners)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://harwick.gov.example/register.csv",
        "https://harwick-courier.example/2025/03/rent-cap",
    }


def test_a_list_of_one_publishers_reports_is_not_a_menu() -> None:
    """Without the site's home page among them, links to one site are what is cited."""
    doc = (
        "The figures come from two releases:\n\n"
        "- [Labour market, March](https://stats.gov.example/releases/labour-2025-03)\n"
        "- [Labour market, April](https://stats.gov.example/releases/labour-2025-04)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://stats.gov.example/releases/labour-2025-03",
        "https://stats.gov.example/releases/labour-2025-04",
    }


def test_tag_pages_feeds_and_support_pages_on_link_lines_go() -> None:
    doc = (
        "Egg prices rose 40% in a year, the [retail survey](https://retail.example/eggs-2025) "
        "found.\n\n"
        "[#food prices](https://eggblog.example/tags/food-prices) "
        "[#hens](https://eggblog.example/category/hens)\n\n"
        "[Podcast feed](https://feeds.eggcast.example/main) · "
        "[Become a member](https://eggblog.example/members)\n"
    )
    assert _urls(doc, "markdown") == {"https://retail.example/eggs-2025"}


def test_more_from_the_outlet_heading_takes_the_outlets_name() -> None:
    doc = (
        "Bills rose, the [regulator](https://regulator.example/report.pdf) said.\n\n"
        "## More from the Gridwatch\n\n"
        "- [Network charges, explained](https://gridwatch.example/a/network)\n"
        "- [Who pays for the grid?](https://gridwatch.example/podcast/12)\n"
    )
    assert _urls(doc, "markdown") == {"https://regulator.example/report.pdf"}


def test_press_images_in_a_sentence_go_a_report_in_the_next_sentence_stays() -> None:
    doc = (
        "The museum reopens on 4 May.\n\n"
        "High-resolution press images are available at https://museum.example/press/photos. "
        "The survey is at https://museum.example/reports/survey-2024.pdf.\n"
    )
    assert _urls(doc, "text") == {"https://museum.example/reports/survey-2024.pdf"}


def test_masthead_names_the_site_its_pager_and_shop_links_go() -> None:
    doc = (
        "# [The Egg Diaries](https://eggdiaries.example/)\n\n"
        "Egg prices rose 40% in a year, the [retail survey](https://retail.example/eggs-2025) "
        "found, and my [January post](https://eggdiaries.example/2025/01/winter-laying) has "
        "the laying figures from my own hens, which fell by a third over the coldest weeks.\n\n"
        "[Our hen-keeping starter box](https://eggdiaries.example/seed-box)\n\n"
        "[Winter laying, part one](https://eggdiaries.example/2024/12/laying) →\n\n"
        "[Hen feed](https://feedco.example/shop/layers-pellets)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://retail.example/eggs-2025",
        "https://eggdiaries.example/2025/01/winter-laying",
    }


def test_support_and_archive_pages_cited_in_prose_or_lists_stay() -> None:
    doc = (
        "Claimants can apply through the [ministry's support page]"
        "(https://ministry.gov.example/benefits/support), which the council also links.\n\n"
        "- [Minutes, 12 March](https://council.gov.example/archive/2019/minutes-0312.pdf)\n"
        "- [Budget papers](https://council.gov.example/archive/2019/budget.pdf)\n"
    )
    assert _urls(doc, "markdown") == {
        "https://ministry.gov.example/benefits/support",
        "https://council.gov.example/archive/2019/minutes-0312.pdf",
        "https://council.gov.example/archive/2019/budget.pdf",
    }


def test_words_linked_to_deeper_pages_of_one_site_are_cited_not_a_menu() -> None:
    # A menu goes to a site's home and sections; a line (or a paragraph of nothing but
    # links) to deeper pages of one site is what the document cites.
    text = (
        "# Harbour dredging\n\n"
        "Reports: [2019](https://port.gov.example/reports/2019) "
        "[2020](https://port.gov.example/reports/2020)\n"
    )
    assert _urls(text, "markdown") == {
        "https://port.gov.example/reports/2019",
        "https://port.gov.example/reports/2020",
    }
    links = " ".join(
        f'<a href="https://example.org/source/{x}">{i}</a>' for i, x in enumerate("abc")
    )
    page = f"<html><body><p>{links}</p></body></html>"
    assert _urls(page, "html") == {f"https://example.org/source/{x}" for x in "abc"}
    # One step below the home page but not named by its words: cited, not a menu item.
    text = "See [the ruling](https://court.example/ruling) and [appeal](https://court.example/a2)\n"
    assert _urls(text, "markdown") == {"https://court.example/ruling", "https://court.example/a2"}
