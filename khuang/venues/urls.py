from django.urls import path

from . import views

app_name = "venues"
urlpatterns = [path("", views.space_list_page, name="space_list")]
