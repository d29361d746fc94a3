"""Route of the published feed, mounted at /api/v1/feed/ by egov/urls.py (one line: the
feed belongs to every context, not under /api/v1/bus/)."""

from django.urls import path

from apps.bus import api_feed

app_name = "feed_api"
urlpatterns = [
    path("<slug:konteks>/", api_feed.FeedApi.as_view(), name="feed"),
]
