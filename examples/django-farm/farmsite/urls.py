from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from farm import views

urlpatterns = [
    path('', RedirectView.as_view(url='/batches/', permanent=False)),
    path('login/', auth_views.LoginView.as_view(), name='login'),
    path('logout/', auth_views.LogoutView.as_view(), name='logout'),
    path('batches/', views.active_batches, name='active-batches'),
    path('mortality/new/', views.record_mortality, name='record-mortality'),
    path('health/', views.health, name='health'),
]
