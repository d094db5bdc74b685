"""The Scrapy side of citevault: spiders, the WARC recorder and pipelines."""
