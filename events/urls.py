from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("halls/<uuid:token>/calendar.ics", views.hall_calendar_feed, name="hall_feed"),
]
